using System.Reflection;
using System.Reflection.Emit;

namespace LinkJ.Architecture.Tests.Architecture;

/// <summary>
/// Which APIs of a library a type's code uses: the types and members its method bodies name (read from their IL), its
/// fields, signatures, base type and interfaces. Compiler-generated nested types (async state machines, lambdas) count
/// as part of the type they are nested in, since their namespace is its namespace.
/// </summary>
public static class ApiUse
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>The uses, by <paramref name="type"/>, of types from assemblies whose name starts with <paramref name="assemblyPrefix"/>, as "Type.Member → Api".</summary>
    public static IReadOnlyList<string> Of(Type type, string assemblyPrefix)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        void Check(string where, Type? used)
        {
            foreach (var name in Foreign(used, assemblyPrefix))
            {
                found.Add($"{type.FullName}.{where} → {name}");
            }
        }

        Check("(base)", type.BaseType);
        foreach (var contract in type.GetInterfaces())
        {
            Check("(interface)", contract);
        }

        foreach (var field in type.GetFields(Everything))
        {
            Check(field.Name, field.FieldType);
        }

        foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            if (method is MethodInfo info)
            {
                Check(method.Name, info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Check(method.Name, parameter.ParameterType);
            }

            foreach (var member in MembersNamedBy(method))
            {
                switch (member)
                {
                    case Type used:
                        Check(method.Name, used);
                        break;
                    case MethodBase called:
                        Check(method.Name, called.DeclaringType);
                        if (called is MethodInfo calledInfo)
                        {
                            Check(method.Name, calledInfo.ReturnType);
                            foreach (var argument in calledInfo.IsGenericMethod ? calledInfo.GetGenericArguments() : [])
                            {
                                Check(method.Name, argument);
                            }
                        }

                        foreach (var parameter in called.GetParameters())
                        {
                            Check(method.Name, parameter.ParameterType);
                        }

                        break;
                    case FieldInfo field:
                        Check(method.Name, field.DeclaringType);
                        Check(method.Name, field.FieldType);
                        break;
                }
            }
        }

        return [.. found];
    }

    /// <summary>The type's full name and those of its generic arguments and elements that come from the given assemblies.</summary>
    private static IEnumerable<string> Foreign(Type? type, string assemblyPrefix)
    {
        if (type is null || type.IsGenericParameter)
        {
            yield break;
        }

        if (type.Assembly.GetName().Name!.StartsWith(assemblyPrefix, StringComparison.Ordinal))
        {
            yield return type.FullName ?? type.Name;
        }

        if (type.HasElementType)
        {
            foreach (var name in Foreign(type.GetElementType(), assemblyPrefix))
            {
                yield return name;
            }
        }

        if (type.IsGenericType)
        {
            foreach (var name in type.GetGenericArguments().SelectMany(argument => Foreign(argument, assemblyPrefix)))
            {
                yield return name;
            }
        }
    }

    /// <summary>The types, methods and fields that <paramref name="method"/>'s IL names (calls, object creations, field accesses, tokens).</summary>
    public static IEnumerable<MemberInfo> MembersNamedBy(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            OpCode code;
            if (il[at] == 0xFE)
            {
                code = OpCodesByValue[unchecked((short)(0xFE00 | il[at + 1]))];
                at += 2;
            }
            else
            {
                code = OpCodesByValue[il[at]];
                at += 1;
            }

            switch (code.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    MemberInfo? member;
                    try
                    {
                        member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                    }
                    catch (ArgumentException)
                    {
                        member = null;
                    }

                    if (member is not null)
                    {
                        yield return member;
                    }

                    at += 4;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default:
                    at += 4;
                    break;
            }
        }
    }
}
