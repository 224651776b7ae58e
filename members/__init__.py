"""members: the organisation directory (committees, terms, sessions, handling units, sectors,
parties, special committees), users and roles, committee scoping, API tokens; later the members,
their seats and their performance record."""
