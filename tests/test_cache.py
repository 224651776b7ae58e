"""The cache backend (core.cache): Django's Redis cache with one client per connection pool."""

from concurrent.futures import ThreadPoolExecutor

from django.core.cache import cache


def test_one_client_serves_every_call_and_thread():
    clients = {id(cache._cache.get_client(write=w)) for w in (True, False, True)}
    assert len(clients) == 1

    def round_trip(n: int):
        cache.set(f"test-cache:{n}", {"n": n, "名称": "政协"}, 30)
        return cache.get_many([f"test-cache:{n}", "test-cache:none"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(round_trip, range(40)))
    assert results == [{f"test-cache:{n}": {"n": n, "名称": "政协"}} for n in range(40)]
    cache.delete_many([f"test-cache:{n}" for n in range(40)])
