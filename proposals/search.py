"""Chinese substring search that uses an index on any PostgreSQL: the searchable text is stored
as a tsvector of its character bigrams (a generated column filled by the SQL function
`cppcc_bigrams`, GIN-indexed), and a query matches when all of its bigrams are present.

No text parser and no locale are involved (array_to_tsvector and quoted tsquery lexemes), so it
works the same on the embedded server, which has no contrib extensions, and on any other.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db.models import F, Func, Lookup

# Created by a migration; IMMUTABLE so that it can fill a generated column.
BIGRAMS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION cppcc_bigrams(title text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_to_tsvector(coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}'::text[]))
  FROM (SELECT lower(regexp_replace(coalesce(title, '') || coalesce(body, ''), '\s+', '', 'g'))
        AS t) AS source,
       generate_series(1, greatest(char_length(t) - 1, 0)) AS i
$$;
"""
DROP_BIGRAMS_FUNCTION = "DROP FUNCTION IF EXISTS cppcc_bigrams(text, text);"


class Bigrams(Func):
    """cppcc_bigrams(title, body) as a database expression."""

    function = "cppcc_bigrams"
    output_field = SearchVectorField()

    def __init__(self, title: str, *body_fields: str):
        body = F(body_fields[0])
        for name in body_fields[1:]:
            body = Func(body, F(name), template="(%(expressions)s)", arg_joiner=" || ")
        super().__init__(F(title), body)


def _lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def bigram_query(text: str) -> str:
    """The tsquery text that matches every stored text containing `text`."""
    text = "".join(text.lower().split())
    if len(text) == 1:
        return _lexeme(text) + ":*"
    return " & ".join(_lexeme(text[i : i + 2]) for i in range(len(text) - 1)) or "''"


@SearchVectorField.register_lookup
class ContainsText(Lookup):
    """`search__contains_text="社区卫生"`: the bigrams of the query are all in the vector."""

    lookup_name = "contains_text"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} @@ %s::tsquery", [*lhs_params, bigram_query(str(self.rhs))]
