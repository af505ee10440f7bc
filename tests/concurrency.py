"""Run one piece of work on several threads released at the same instant, for the tests of parallel requests."""
import threading


def together(count: int, work) -> None:
    """Call `work()` on `count` threads that all start at once; return when every one has finished."""
    start = threading.Barrier(count)

    def run():
        start.wait()
        work()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
