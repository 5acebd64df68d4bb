SET LOCAL check_function_bodies = false;

-- EXTENSION: pg_trgm
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- SEQUENCE: change_positions
CREATE SEQUENCE public.change_positions
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

-- TABLE: rate_limit_counters
CREATE UNLOGGED TABLE public.rate_limit_counters (
    partition text NOT NULL,
    window_start timestamp with time zone NOT NULL,
    count integer NOT NULL
);

-- FUNCTION: agreements_number_new()
CREATE FUNCTION public.agreements_number_new() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    k text;
BEGIN
    IF NEW.deleted_at IS NULL AND NEW.status <> 'draft' AND NEW.supersedes_id IS NULL THEN
        SELECT kind INTO k FROM partners WHERE id = NEW.partner_id;
        NEW.ordinal_overall := coalesce((
            SELECT ordinal_overall FROM agreements
            WHERE deleted_at IS NULL AND status <> 'draft' AND supersedes_id IS NULL AND (signed_on, seq) < (NEW.signed_on, NEW.seq)
            ORDER BY signed_on DESC, seq DESC LIMIT 1), 0) + 1;
        NEW.ordinal_within_kind := coalesce((
            SELECT a.ordinal_within_kind FROM agreements a JOIN partners p ON p.id = a.partner_id
            WHERE p.kind = k
              AND a.deleted_at IS NULL AND a.status <> 'draft' AND a.supersedes_id IS NULL
              AND (a.signed_on, a.seq) < (NEW.signed_on, NEW.seq)
            ORDER BY a.signed_on DESC, a.seq DESC LIMIT 1), 0) + 1;
    ELSE
        NEW.ordinal_overall := NULL;
        NEW.ordinal_within_kind := NULL;
    END IF;
    RETURN NEW;
END $$;

-- FUNCTION: agreements_ordinals_changed()
CREATE FUNCTION public.agreements_ordinals_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    from_signed date;
    from_seq bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- Numbered before it was written (agreements_number_new): only the agreements after it move, and
        -- a new agreement is usually the latest. (Not EXISTS: its generic plan scans the whole table.)
        PERFORM FROM agreements WHERE (signed_on, seq) > (NEW.signed_on, NEW.seq) ORDER BY signed_on, seq LIMIT 1;
        IF FOUND THEN
            PERFORM renumber_agreement_ordinals(NEW.signed_on, NEW.seq, ARRAY(SELECT kind FROM partners WHERE id = NEW.partner_id)::text[]);
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM renumber_agreement_ordinals(OLD.signed_on, OLD.seq, ARRAY(SELECT kind FROM partners WHERE id = OLD.partner_id)::text[]);
    ELSE
        IF (OLD.signed_on, OLD.seq) < (NEW.signed_on, NEW.seq) THEN
            from_signed := OLD.signed_on; from_seq := OLD.seq;
        ELSE
            from_signed := NEW.signed_on; from_seq := NEW.seq;
        END IF;
        PERFORM renumber_agreement_ordinals(from_signed, from_seq,
            ARRAY(SELECT DISTINCT kind FROM partners WHERE id IN (OLD.partner_id, NEW.partner_id))::text[]);
    END IF;
    RETURN NULL;
END $$;

-- FUNCTION: agreements_partner_live()
CREATE FUNCTION public.agreements_partner_live() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.deleted_at IS NULL AND NOT EXISTS (
        SELECT 1 FROM partners WHERE id = NEW.partner_id AND deleted_at IS NULL FOR SHARE) THEN
        RAISE EXCEPTION 'partner % does not exist or is deleted', NEW.partner_id
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'agreements_partner_live';
    END IF;
    RETURN NEW;
END $$;

-- FUNCTION: agreements_tallies_changed()
CREATE FUNCTION public.agreements_tallies_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM tally_agreement(OLD, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM tally_agreement(NEW, 1);
    END IF;
    RETURN NULL;
END $$;

-- FUNCTION: lock_agreement_ordinals()
CREATE FUNCTION public.lock_agreement_ordinals() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(83909096721999);
    RETURN NULL;
END $$;

-- FUNCTION: partners_kind_changed()
CREATE FUNCTION public.partners_kind_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    first_signed date;
    first_seq bigint;
BEGIN
    SELECT signed_on, seq INTO first_signed, first_seq FROM agreements WHERE partner_id = NEW.id ORDER BY signed_on, seq LIMIT 1;
    IF first_signed IS NOT NULL THEN
        PERFORM renumber_agreement_ordinals(first_signed, first_seq, ARRAY[OLD.kind, NEW.kind]::text[]);
    END IF;
    RETURN NULL;
END $$;

-- FUNCTION: partners_no_live_agreements()
CREATE FUNCTION public.partners_no_live_agreements() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL AND EXISTS (
        SELECT 1 FROM agreements WHERE partner_id = NEW.id AND deleted_at IS NULL) THEN
        RAISE EXCEPTION 'partner % still has agreements', NEW.id
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'partners_no_live_agreements';
    END IF;
    RETURN NEW;
END $$;

-- FUNCTION: partners_tallies_changed()
CREATE FUNCTION public.partners_tallies_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL THEN
        INSERT INTO partner_tallies AS t (country, kind, count) VALUES (OLD.country, OLD.kind, -1)
            ON CONFLICT (country, kind) DO UPDATE SET count = t.count + excluded.count;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.deleted_at IS NULL THEN
        INSERT INTO partner_tallies AS t (country, kind, count) VALUES (NEW.country, NEW.kind, 1)
            ON CONFLICT (country, kind) DO UPDATE SET count = t.count + excluded.count;
    END IF;
    -- A partner that changes country or kind takes its partnerships with it.
    IF TG_OP = 'UPDATE' AND (OLD.country, OLD.kind) IS DISTINCT FROM (NEW.country, NEW.kind) THEN
        INSERT INTO partnership_tallies AS t (country, kind, year, count)
            SELECT country, kind, year, sum(n) FROM (
                SELECT OLD.country AS country, OLD.kind AS kind, extract(year FROM signed_on)::int AS year, -count(*) AS n
                FROM agreements WHERE partner_id = NEW.id AND deleted_at IS NULL AND status <> 'draft' AND supersedes_id IS NULL GROUP BY 3
                UNION ALL
                SELECT NEW.country, NEW.kind, extract(year FROM signed_on)::int, count(*)
                FROM agreements WHERE partner_id = NEW.id AND deleted_at IS NULL AND status <> 'draft' AND supersedes_id IS NULL GROUP BY 3
            ) moved
            GROUP BY country, kind, year HAVING sum(n) <> 0 ORDER BY country, kind, year
            ON CONFLICT (country, kind, year) DO UPDATE SET count = t.count + excluded.count;
    END IF;
    RETURN NULL;
END $$;

-- FUNCTION: recount_tallies()
CREATE FUNCTION public.recount_tallies() RETURNS void
    LANGUAGE sql
    AS $$
    DELETE FROM partner_tallies;
    DELETE FROM agreement_status_tallies;
    DELETE FROM partnership_tallies;
    DELETE FROM scope_tallies;
    INSERT INTO partner_tallies (country, kind, count)
        SELECT country, kind, count(*) FROM partners WHERE deleted_at IS NULL GROUP BY 1, 2;
    INSERT INTO agreement_status_tallies (status, count)
        SELECT status, count(*) FROM agreements WHERE deleted_at IS NULL GROUP BY status;
    INSERT INTO partnership_tallies (country, kind, year, count)
        SELECT p.country, p.kind, extract(year FROM a.signed_on)::int, count(*)
        FROM agreements a JOIN partners p ON p.id = a.partner_id
        WHERE a.deleted_at IS NULL AND a.status <> 'draft' AND a.supersedes_id IS NULL GROUP BY 1, 2, 3;
    INSERT INTO scope_tallies (code, count)
        SELECT code, count(*) FROM agreements a, unnest(a.scopes) AS code
        WHERE a.deleted_at IS NULL AND a.status <> 'draft' AND a.supersedes_id IS NULL GROUP BY code;
$$;

-- FUNCTION: renumber_agreement_ordinals(date, bigint, text[])
CREATE FUNCTION public.renumber_agreement_ordinals(from_signed date, from_seq bigint, kinds text[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    base bigint;
    k text;
BEGIN
    SELECT ordinal_overall INTO base FROM agreements
    WHERE deleted_at IS NULL AND status <> 'draft' AND supersedes_id IS NULL AND (signed_on, seq) < (from_signed, from_seq)
    ORDER BY signed_on DESC, seq DESC LIMIT 1;
    UPDATE agreements a SET ordinal_overall = s.n
    FROM (SELECT id, coalesce(base, 0) + row_number() OVER (ORDER BY signed_on, seq) AS n FROM agreements
          WHERE deleted_at IS NULL AND status <> 'draft' AND supersedes_id IS NULL AND (signed_on, seq) >= (from_signed, from_seq)) s
    WHERE a.id = s.id AND a.ordinal_overall IS DISTINCT FROM s.n;

    UPDATE agreements SET ordinal_overall = NULL, ordinal_within_kind = NULL
    WHERE NOT (deleted_at IS NULL AND status <> 'draft' AND supersedes_id IS NULL)
      AND (signed_on, seq) >= (from_signed, from_seq)
      AND (ordinal_overall IS NOT NULL OR ordinal_within_kind IS NOT NULL);

    FOREACH k IN ARRAY kinds LOOP
        base := NULL;
        SELECT a.ordinal_within_kind INTO base FROM agreements a JOIN partners p ON p.id = a.partner_id
        WHERE p.kind = k AND a.deleted_at IS NULL AND a.status <> 'draft' AND a.supersedes_id IS NULL
          AND (a.signed_on, a.seq) < (from_signed, from_seq)
        ORDER BY a.signed_on DESC, a.seq DESC LIMIT 1;
        UPDATE agreements a SET ordinal_within_kind = s.n
        FROM (SELECT a2.id, coalesce(base, 0) + row_number() OVER (ORDER BY a2.signed_on, a2.seq) AS n
              FROM agreements a2 JOIN partners p ON p.id = a2.partner_id
              WHERE p.kind = k AND a2.deleted_at IS NULL AND a2.status <> 'draft' AND a2.supersedes_id IS NULL
                AND (a2.signed_on, a2.seq) >= (from_signed, from_seq)) s
        WHERE a.id = s.id AND a.ordinal_within_kind IS DISTINCT FROM s.n;
    END LOOP;
END $$;

-- FUNCTION: renumber_all_agreement_ordinals()
CREATE FUNCTION public.renumber_all_agreement_ordinals() RETURNS void
    LANGUAGE sql
    AS $$
    SELECT renumber_agreement_ordinals('-infinity'::date, 0, ARRAY(SELECT DISTINCT kind FROM partners)::text[]);
$$;

-- FUNCTION: sequence_changes()
CREATE FUNCTION public.sequence_changes() RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
    pending bigint[];
    first bigint;
BEGIN
    -- Nothing waiting (the caller's changes were numbered by another caller meanwhile): no lock, no write.
    PERFORM FROM changes WHERE position IS NULL LIMIT 1;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    -- Held until this transaction's commit: numberings become visible one after the other, so every
    -- position below one a reader sees is already visible to it.
    PERFORM pg_advisory_xact_lock(83877729880643); -- 0x4C494E4B4A43, "LINKJC"
    -- A new snapshot (READ COMMITTED, volatile function): everything committed before the lock was ours.
    SELECT array_agg(seq ORDER BY seq) INTO pending FROM changes WHERE position IS NULL;
    IF pending IS NULL THEN
        RETURN 0;
    END IF;
    first := nextval('change_positions');
    IF cardinality(pending) > 1 THEN
        PERFORM setval('change_positions', first + cardinality(pending) - 1);
    END IF;
    UPDATE changes c SET position = first + u.n - 1
    FROM unnest(pending) WITH ORDINALITY AS u(seq, n)
    WHERE c.seq = u.seq;
    RETURN cardinality(pending);
END $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

-- FUNCTION: tally_agreement(public.agreements, integer)
CREATE FUNCTION public.tally_agreement(a public.agreements, delta integer) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    partner_country char(2);
    partner_kind varchar(40);
BEGIN
    IF a.deleted_at IS NOT NULL THEN
        RETURN;
    END IF;
    INSERT INTO agreement_status_tallies AS t (status, count) VALUES (a.status, delta)
        ON CONFLICT (status) DO UPDATE SET count = t.count + excluded.count;
    IF a.status = 'draft' OR a.supersedes_id IS NOT NULL THEN
        RETURN;
    END IF;
    SELECT country, kind INTO partner_country, partner_kind FROM partners WHERE id = a.partner_id;
    INSERT INTO partnership_tallies AS t (country, kind, year, count)
        VALUES (partner_country, partner_kind, extract(year FROM a.signed_on)::int, delta)
        ON CONFLICT (country, kind, year) DO UPDATE SET count = t.count + excluded.count;
    INSERT INTO scope_tallies AS t (code, count)
        SELECT code, delta * count(*) FROM unnest(a.scopes) AS code GROUP BY code ORDER BY code
        ON CONFLICT (code) DO UPDATE SET count = t.count + excluded.count;
END $$;

-- VIEW: agreement_ordinals
CREATE VIEW public.agreement_ordinals AS
 SELECT agreements.id AS agreement_id,
    agreements.ordinal_overall AS overall,
    agreements.ordinal_within_kind AS within_partner_kind
   FROM public.agreements
  WHERE (agreements.ordinal_overall IS NOT NULL);

-- INDEX: ix_agreements_counted_order
CREATE INDEX ix_agreements_counted_order ON public.agreements USING btree (signed_on, seq) WHERE ((deleted_at IS NULL) AND ((status)::text <> 'draft'::text) AND (supersedes_id IS NULL));

-- INDEX: ix_agreements_external_ref
CREATE UNIQUE INDEX ix_agreements_external_ref ON public.agreements USING btree (external_source, external_id) WHERE (external_source IS NOT NULL);

-- INDEX: ix_agreements_ordinal_overall
CREATE INDEX ix_agreements_ordinal_overall ON public.agreements USING btree (ordinal_overall) WHERE (ordinal_overall IS NOT NULL);

-- INDEX: ix_agreements_scopes
CREATE INDEX ix_agreements_scopes ON public.agreements USING gin (scopes);

-- INDEX: ix_agreements_search_text
CREATE INDEX ix_agreements_search_text ON public.agreements USING gin (search_text public.gin_trgm_ops);

-- INDEX: ix_agreements_signed_on_seq
CREATE UNIQUE INDEX ix_agreements_signed_on_seq ON public.agreements USING btree (signed_on, seq);

-- INDEX: ix_changes_pending
CREATE INDEX ix_changes_pending ON public.changes USING btree (seq) WHERE ("position" IS NULL);

-- INDEX: ix_partners_external_ref
CREATE UNIQUE INDEX ix_partners_external_ref ON public.partners USING btree (external_source, external_id) WHERE (external_source IS NOT NULL);

-- INDEX: ix_partners_search_text
CREATE INDEX ix_partners_search_text ON public.partners USING gin (search_text public.gin_trgm_ops);

-- CONSTRAINT: rate_limit_counters rate_limit_counters_pkey
ALTER TABLE ONLY public.rate_limit_counters
    ADD CONSTRAINT rate_limit_counters_pkey PRIMARY KEY (partition);

-- TRIGGER: agreements agreements_number_new
CREATE TRIGGER agreements_number_new BEFORE INSERT ON public.agreements FOR EACH ROW EXECUTE FUNCTION public.agreements_number_new();

-- TRIGGER: agreements agreements_ordinals
CREATE TRIGGER agreements_ordinals AFTER INSERT OR DELETE OR UPDATE OF status, deleted_at, supersedes_id, signed_on, partner_id ON public.agreements FOR EACH ROW EXECUTE FUNCTION public.agreements_ordinals_changed();

-- TRIGGER: agreements agreements_ordinals_lock
CREATE TRIGGER agreements_ordinals_lock BEFORE INSERT OR DELETE OR UPDATE OF status, deleted_at, supersedes_id, signed_on, partner_id, scopes ON public.agreements FOR EACH STATEMENT EXECUTE FUNCTION public.lock_agreement_ordinals();

-- TRIGGER: agreements agreements_partner_live
CREATE TRIGGER agreements_partner_live BEFORE INSERT OR UPDATE OF partner_id, deleted_at ON public.agreements FOR EACH ROW EXECUTE FUNCTION public.agreements_partner_live();

-- TRIGGER: agreements agreements_tallies
CREATE TRIGGER agreements_tallies AFTER INSERT OR DELETE ON public.agreements FOR EACH ROW EXECUTE FUNCTION public.agreements_tallies_changed();

-- TRIGGER: agreements agreements_tallies_update
CREATE TRIGGER agreements_tallies_update AFTER UPDATE OF status, deleted_at, supersedes_id, signed_on, partner_id, scopes ON public.agreements FOR EACH ROW WHEN ((((((((old.status)::text IS DISTINCT FROM (new.status)::text) OR (old.deleted_at IS DISTINCT FROM new.deleted_at)) OR (old.supersedes_id IS DISTINCT FROM new.supersedes_id)) OR (old.signed_on IS DISTINCT FROM new.signed_on)) OR (old.partner_id IS DISTINCT FROM new.partner_id)) OR (old.scopes IS DISTINCT FROM new.scopes))) EXECUTE FUNCTION public.agreements_tallies_changed();

-- TRIGGER: partners partners_kind
CREATE TRIGGER partners_kind AFTER UPDATE OF kind ON public.partners FOR EACH ROW WHEN (((old.kind)::text IS DISTINCT FROM (new.kind)::text)) EXECUTE FUNCTION public.partners_kind_changed();

-- TRIGGER: partners partners_kind_lock
CREATE TRIGGER partners_kind_lock BEFORE UPDATE OF kind, country ON public.partners FOR EACH STATEMENT EXECUTE FUNCTION public.lock_agreement_ordinals();

-- TRIGGER: partners partners_no_live_agreements
CREATE TRIGGER partners_no_live_agreements BEFORE UPDATE OF deleted_at ON public.partners FOR EACH ROW EXECUTE FUNCTION public.partners_no_live_agreements();

-- TRIGGER: partners partners_tallies
CREATE TRIGGER partners_tallies AFTER INSERT OR DELETE ON public.partners FOR EACH ROW EXECUTE FUNCTION public.partners_tallies_changed();

-- TRIGGER: partners partners_tallies_update
CREATE TRIGGER partners_tallies_update AFTER UPDATE OF country, kind, deleted_at ON public.partners FOR EACH ROW WHEN ((((old.country IS DISTINCT FROM new.country) OR ((old.kind)::text IS DISTINCT FROM (new.kind)::text)) OR (old.deleted_at IS DISTINCT FROM new.deleted_at))) EXECUTE FUNCTION public.partners_tallies_changed();

