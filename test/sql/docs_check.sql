-- Documentation check: every function, aggregate, window function and procedure of schema
-- carbonbudget (helpers named _* excepted) has a COMMENT.  The list is read from the
-- catalogue, so functions added later by any family are covered.
SELECT plan(4);

CREATE TEMP VIEW public_routines AS
SELECT p.oid, p.proname, p.prokind,
       p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS signature,
       obj_description(p.oid, 'pg_proc') AS comment
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'carbonbudget' AND left(p.proname, 1) <> '_';

SELECT ok((SELECT count(*) FROM public_routines) >= 30, 'the catalogue lists the public routines');
SELECT is((SELECT string_agg(signature, ', ' ORDER BY signature) FROM public_routines
           WHERE coalesce(btrim(comment), '') = ''), NULL, 'every public routine has a COMMENT');
-- the comments of types of results (composite types of the schema) as well
SELECT is((SELECT string_agg(t.typname, ', ' ORDER BY t.typname)
           FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
           JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
           WHERE n.nspname = 'carbonbudget' AND coalesce(obj_description(t.oid, 'pg_type'), '') = ''),
          NULL, 'every result type has a COMMENT');

-- the check catches an undocumented function
BEGIN;
CREATE FUNCTION carbonbudget.undocumented_example(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x';
SELECT is((SELECT string_agg(signature, ', ') FROM public_routines WHERE coalesce(btrim(comment), '') = ''),
          'undocumented_example(x integer)', 'a function without COMMENT is reported');
ROLLBACK;

SELECT * FROM finish();
