-- Synthetic registry for the benchmark: :scale agreements with partners about a tenth of that; bilingual names with
-- Japanese text, skewed countries (two thirds Japanese) and kinds, two cooperation scopes each, both precisions of date.
-- Inserted in bulk with the ordinal triggers off, then numbered once; every record also gets its "created" change.
\set ON_ERROR_STOP on
SELECT greatest(:scale / 10, 20) AS partners \gset

ALTER TABLE agreements DISABLE TRIGGER USER;

INSERT INTO partners (id, slug, name_ja, name_en, kind, country, former_names, version, created_at, updated_at)
SELECT gen_random_uuid(),
       'bench-partner-' || i,
       (ARRAY['東京','大阪','京都','神戸','横浜','札幌','福岡','仙台','名古屋','広島','ボストン','ロンドン','パリ','シンガポール','ミュンヘン'])[1 + i % 15]
         || (ARRAY['大学','医科大学','研究所','バイオクラスター','財団','株式会社','市','県'])[1 + (i / 15) % 8] || ' ' || i,
       (ARRAY['Tokyo','Osaka','Kyoto','Kobe','Yokohama','Sapporo','Fukuoka','Sendai','Nagoya','Hiroshima','Boston','London','Paris','Singapore','Munich'])[1 + i % 15]
         || ' ' || (ARRAY['University','Medical University','Institute','Bio Cluster','Foundation','Inc.','City','Prefecture'])[1 + (i / 15) % 8] || ' ' || i,
       (ARRAY['university','university','research-institute','industry-association','foundation','company','local-government','local-government'])[1 + (i / 15) % 8],
       CASE WHEN i % 15 < 10 THEN 'JP' ELSE (ARRAY['US','GB','FR','SG','DE'])[1 + (i % 15) - 10] END,
       '[]', 1, now(), now()
FROM generate_series(1, :partners) i;

INSERT INTO agreements (id, partner_id, type, title_ja, title_en, signed_on, signed_on_precision, status, valid_from, valid_until,
                        scopes, scopes_open_ended, signatories, version, created_at, updated_at)
SELECT gen_random_uuid(), p.id, 'mou',
       p.name_ja || 'との相互提携の覚書 ' || g.i, 'MOU with ' || p.name_en || ' #' || g.i,
       g.d, CASE WHEN g.i % 3 = 0 THEN 'month' ELSE 'day' END,
       CASE WHEN g.i % 20 = 0 THEN 'expired' WHEN g.i % 50 = 1 THEN 'draft' ELSE 'active' END,
       g.d, CASE WHEN g.i % 20 = 0 THEN g.d + 365 END,
       ARRAY[c.codes[1 + g.i % 11], c.codes[1 + (g.i % 11 + 1 + (g.i / 11) % 10) % 11]],
       true, '[]', 1, now(), now()
FROM (SELECT i, CASE WHEN i % 3 = 0 THEN date_trunc('month', date '2016-01-01' + ((i::bigint * 104729) % 3950)::int)::date
                     ELSE date '2016-01-01' + ((i::bigint * 104729) % 3950)::int END AS d
      FROM generate_series(1, :scale) i) g
JOIN partners p ON p.slug = 'bench-partner-' || (1 + (g.i::bigint * 7919) % :partners)
CROSS JOIN (SELECT ARRAY['publication-exchange','publication-exchange-dissemination','mutual-programs-events','nihonbashi-symposium',
                         'member-services','event-cooperation','mutual-visits','mutual-facility-use','short-term-programs',
                         'bio-cluster-collaboration','health-medical-cluster-collaboration'] AS codes) c;

ALTER TABLE agreements ENABLE TRIGGER USER;
-- The partner's search text each agreement keeps (ADR 0051), which the insert's trigger would have set; builds from
-- before it have no such column.
DO $$ BEGIN
    IF EXISTS (SELECT FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'agreements' AND column_name = 'partner_search_text') THEN
        UPDATE agreements a SET partner_search_text = p.search_text FROM partners p WHERE p.id = a.partner_id;
    END IF;
END $$;
SELECT renumber_all_agreement_ordinals();
SELECT recount_tallies();

INSERT INTO changes (resource_type, resource_id, version, operation, occurred_at, actor, changed_fields)
SELECT kind, id, 1, 'created', created_at, 'bench', '{}'
FROM (SELECT 'partner' AS kind, id, created_at, seq, 0 AS o FROM partners WHERE slug LIKE 'bench-partner-%'
      UNION ALL
      SELECT 'agreement', a.id, a.created_at, a.seq, 1 FROM agreements a JOIN partners p ON p.id = a.partner_id WHERE p.slug LIKE 'bench-partner-%') r
ORDER BY o, seq;
-- Their feed positions (ADR 0030; builds from before it numbered them at insert, bench/writes.py measures both).
DO $$ BEGIN IF to_regproc('sequence_changes') IS NOT NULL THEN PERFORM sequence_changes(); END IF; END $$;

-- Vacuumed and checkpointed before anything is measured: a bulk load leaves autovacuum whole tables to scan, index-only
-- scans without a visibility map, and a checkpoint to write. At 1m without this, the deep page measured 808 req/s with a
-- p99 of 1.6 s (the baseline's reads had p99s of 136-393 ms too); with it, 1,227 req/s and 62 ms.
-- The update of partner_search_text above rewrote every agreement once more: without VACUUM FULL the table and every
-- index stay about twice their size (at 1m: 1,107 MB of table, the counted-order index 119 MB instead of 50), a state a
-- table reaches only after rewriting all of its rows, and every range read of an index reads twice the pages.
VACUUM (FULL) agreements;
VACUUM (ANALYZE);
CHECKPOINT;
