"""`make serve`: nginx on PORT in front of REPLICAS Streamlit replicas until Ctrl-C."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.settings import load_settings
from deploy.supervisor import Supervisor


def main() -> int:
    settings = load_settings()
    supervisor = Supervisor(settings)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt

    # Explicit for SIGINT too: a process started in the background inherits SIGINT ignored.
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(f"serve: {settings.replicas} replica(s), logs and config in {supervisor.prefix}")
    try:
        supervisor.start()
        print(f"serve: open http://localhost:{settings.port}  (Ctrl-C stops everything)")
        supervisor.watch()
    except KeyboardInterrupt:
        print("\nserve: stopping")
    finally:
        supervisor.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
