"""A private PostgreSQL cluster and a private Redis on loopback, so that stopping and restarting
them cannot disturb anyone else's servers."""

import os
import shutil
import subprocess
from pathlib import Path

from bench.common.servers import HOST, free_port, wait_until


class PrivatePostgres:
    """A throwaway cluster in a temporary folder, owned by the postgres user when run as root."""

    def __init__(self, folder: Path):
        versions = sorted(Path("/usr/lib/postgresql").iterdir(), key=lambda p: int(p.name))
        self.bin = versions[-1] / "bin"
        self.data = folder / "pgdata"
        self.socket_dir = folder / "pgsocket"
        self.port = free_port()
        self.log = folder / "postgres.log"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def _pg_ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses={HOST} -c max_connections=200"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-m", "fast", "-w", action)

    def start(self) -> None:
        for folder in (self.data, self.socket_dir):
            folder.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.data.parent, "postgres")
            for folder in (self.data, self.socket_dir):
                shutil.chown(folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        self._pg_ctl("start")
        self._run("createdb", "-h", HOST, "-p", str(self.port), "-U", "postgres", "digitrack_load")

    def restart(self) -> None:
        self._pg_ctl("restart")

    def stop(self) -> None:
        self._pg_ctl("stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/digitrack_load"


class PrivateRedis:
    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            # Persisted as in docker-compose.yml, so a stop and start keeps the queue.
            [
                *("redis-server", "--bind", HOST, "--port", str(self.port)),
                *("--save", "", "--appendonly", "yes", "--dir", str(self.folder)),
            ],
            stdout=subprocess.DEVNULL,
        )
        if not wait_until(self.answers, 10):
            raise RuntimeError("redis-server did not start")

    def answers(self) -> bool:
        return self._cli("ping") == "PONG"

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def queue_length(self) -> int:
        return int(self._cli("-n", "6", "llen", "celery") or 0)

    def _cli(self, *args: str) -> str:
        result = subprocess.run(["redis-cli", "-h", HOST, "-p", str(self.port), *args], capture_output=True, text=True)
        return result.stdout.strip()

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/6"
