"""Live vote tallies in Redis, so that a public page never counts all the votes.

Each round has a hash of candidate → valid votes, built from the stored votes and then kept up by
one increment per committed vote. It is rebuilt from the database at most once a minute (and at
once after an invalidation), so whatever an increment missed is put right within the minute; the
final tally is always counted from the stored votes (brands.workflow.stored_tally). Votes the
rule refused are counted per reason for the yearbook and the fraud dashboard.
"""

import logging

import redis
from django.conf import settings

from core.redis_client import client

log = logging.getLogger(__name__)

FRESH_SECONDS = 60
# Increment only a tally that exists: a missing one is rebuilt whole from the database.
_INCREMENT = """
if redis.call('exists', KEYS[1]) == 1 then
  return redis.call('hincrby', KEYS[1], ARGV[1], 1)
end
return 0
"""


def _keys(round_id: int) -> tuple[str, str, str]:
    # Named after the database too: test runs and a demo sharing one Redis keep apart.
    base = f"brands:{settings.DATABASES['default']['NAME']}:round:{round_id}"
    return f"{base}:tally", f"{base}:fresh", f"{base}:refused"


def counted(round_id: int, candidate_id: int) -> None:
    """A vote was stored (called after its commit). A Redis failure loses no vote: the tally is
    rebuilt from the database."""
    tally_key, _fresh, _refused = _keys(round_id)
    try:
        client().eval(_INCREMENT, 1, tally_key, candidate_id)
    except redis.RedisError:
        log.warning("live tally of round %s not incremented", round_id, exc_info=True)


def refused(round_id: int, reason: str) -> None:
    _tally, _fresh, refused_key = _keys(round_id)
    try:
        client().hincrby(refused_key, reason, 1)
    except redis.RedisError:
        log.warning("refusal of round %s not counted", round_id, exc_info=True)


def refusals(round_id: int) -> dict[str, int]:
    _tally, _fresh, refused_key = _keys(round_id)
    try:
        raw = client().hgetall(refused_key)
    except redis.RedisError:
        return {}
    return {key.decode(): int(value) for key, value in raw.items()}


def forget(round_id: int) -> None:
    """The next reader rebuilds the tally from the database (after an invalidation)."""
    _tally, fresh_key, _refused = _keys(round_id)
    try:
        client().delete(fresh_key)
    except redis.RedisError:
        log.warning("live tally of round %s not reset", round_id, exc_info=True)


def live(round_) -> dict[int, int] | None:
    """candidate id → valid votes, at most a minute behind the stored votes; None while Redis
    cannot be reached (the page says so rather than counting every vote per request)."""
    from brands.workflow import stored_tally

    tally_key, fresh_key, _refused = _keys(round_.pk)
    redis_ = client()
    try:
        if redis_.set(fresh_key, 1, nx=True, ex=FRESH_SECONDS):
            counts = stored_tally(round_)
            with redis_.pipeline(transaction=True) as pipe:
                pipe.delete(tally_key)
                pipe.hset(tally_key, mapping={"_": 0, **counts})
                pipe.execute()
            return counts
        raw = redis_.hgetall(tally_key)
    except redis.RedisError:
        log.warning("live tally of round %s unavailable", round_.pk, exc_info=True)
        return None
    return {int(key): int(value) for key, value in raw.items() if key != b"_"}
