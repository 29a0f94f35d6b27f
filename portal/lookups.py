"""`field__any_of=ids`: membership in a set of ids as ONE array parameter on PostgreSQL.

A province's scope is some 600 unit ids. As `__in`, each id is a parameter that Django prepares,
psycopg2 quotes and PostgreSQL parses: about 6 ms a query before any row is read, on every page
an inspector opens. `= ANY(%s)` with one array gives PostgreSQL the same plan for a fraction of
that. Other databases get the plain IN list.
"""

from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = sorted(int(value) for value in self.rhs)  # sorted: the same SQL for the same set
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, ids]
        if not ids:
            return "1 = 0", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*lhs_params, *ids]


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # relations keep their own lookups
