"""Confine the process that runs student code: namespaces, a private scratch, Landlock, seccomp, another uid.

Every child the grader starts (for a student's exercise or for the instructor's reference run) is a pair of
processes, set up after the fork and before any student code:

    C  the child the grader started (trusted): enters new namespaces, mounts a private scratch, forks G and
       reports how G ended
    G  the student's process, PID 1 of a new PID namespace: dies with C; mounts /proc, applies Landlock and
       seccomp, closes every file it does not need, sets resource limits, clears the environment, drops to an
       unprivileged uid, tells C it is ready, then runs the student's cells. When it ends, the kernel kills
       everything it started (the namespace ends with its PID 1), so nothing outlives the run.

What the kernel offers is found once per grader (`plan`): each child then applies exactly that plan and
refuses to run student code when a step fails. A mechanism the kernel lacks is never skipped silently:
`Plan.describe()` names it, and every result carries that line.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import functools
import os
import resource
import select
import signal
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

SANDBOX_ENV = "AUTOGRADER_SANDBOX"  # "off": no sandbox at all (for measuring its cost only)
SKIP_ENV = "AUTOGRADER_SANDBOX_SKIP"  # comma-separated mechanisms to treat as missing (tests of the fallbacks)
MECHANISMS = ("userns", "pidns", "netns", "mountns", "ipcns", "landlock", "seccomp", "uid")

CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUSER = 0x00020000, 0x08000000, 0x10000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
NAMESPACE_FLAGS = {"mountns": CLONE_NEWNS, "ipcns": CLONE_NEWIPC, "pidns": CLONE_NEWPID, "netns": CLONE_NEWNET}
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_KEEPCAPS, PR_SET_NO_NEW_PRIVS = 1, 4, 8, 38
PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2
CAP_DAC_READ_SEARCH = 2
FIRST_UID = 1_900_000_000  # children run as FIRST_UID + slot (root only); far above any real account
NOBODY_GID = 65534
READ_ONLY_SYSTEM = ("/usr", "/lib", "/lib32", "/lib64", "/etc", "/proc", "/sys", "/opt")
DEVICES = ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random")
# Calls student code has no use for: sockets (a pathname socket crosses network namespaces), tracing and
# reading other processes, new namespaces and mounts, kernel interfaces that bypass seccomp or Landlock.
DENIED_SYSCALLS = (
    "socket",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "pidfd_getfd",
    "perf_event_open",
    "bpf",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "keyctl",
    "add_key",
    "request_key",
    "unshare",
    "setns",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "open_by_handle_at",
    "name_to_handle_at",
    "move_mount",
    "open_tree",
    "fsopen",
    "fsmount",
)

_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


class SandboxError(OSError):
    """A confinement step failed; the message says which."""


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise SandboxError(err, f"{what}: {os.strerror(err)}")


def _skipped() -> set[str]:
    return {m.strip() for m in os.environ.get(SKIP_ENV, "").split(",") if m.strip()}


@dataclass(frozen=True)
class Plan:
    """The confinement every child applies, and what was missing when it was decided."""

    enabled: bool = True
    root: bool = False  # the grader runs as root: the child drops to a uid of its own
    namespaces: tuple[str, ...] = ()  # of NAMESPACE_FLAGS, plus "userns" when not root
    landlock_abi: int = 0
    seccomp: bool = False
    keep_read_search: bool = False  # the Python installation is readable by root only
    missing: tuple[str, ...] = ()

    def has(self, mechanism: str) -> bool:
        return mechanism in self.namespaces

    @property
    def drops_uid(self) -> bool:
        return self.root and "uid" not in _skipped()

    def in_force(self) -> list[str]:
        """One phrase per protection that is in force."""
        if not self.enabled:
            return []
        lines = []
        if self.landlock_abi:
            lines.append(
                f"files: Landlock ABI {self.landlock_abi} (read-only system, no course files, writes to scratch only)"
            )
        if self.has("netns"):
            lines.append("network: empty network namespace")
        elif self.landlock_abi >= 4:
            lines.append("network: Landlock denies TCP")
        if self.seccomp:
            lines.append("syscalls: seccomp (no sockets, tracing, mounts or namespaces)")
        if self.has("pidns"):
            lines.append("processes: PID namespace (nothing outlives the run, no other process is visible)")
        if self.has("mountns"):
            lines.append("scratch: private tmpfs")
        if self.landlock_abi >= 6:
            lines.append("signals: Landlock scope")
        if self.drops_uid:
            extra = " keeping only CAP_DAC_READ_SEARCH" if self.keep_read_search else ""
            lines.append(f"privileges: unprivileged uid per child{extra}")
        elif self.has("userns"):
            lines.append("privileges: user namespace, no capabilities")
        return lines

    def describe(self) -> str:
        """One line for the command's output and every result."""
        if not self.enabled:
            return f"sandbox: OFF ({SANDBOX_ENV}=off) - student code runs unconfined"
        text = "sandbox: " + "; ".join(self.in_force())
        if self.missing:
            text += " | MISSING: " + "; ".join(self.missing)
        return text

    def to_dict(self) -> dict:
        return asdict(self) | {"in_force": self.in_force(), "summary": self.describe()}


@dataclass(frozen=True)
class Spec:
    """What one child may use."""

    memory_mb: int = 2048
    scratch_mb: int = 64
    max_processes: int = 64
    max_open_files: int = 256
    uid: int | None = None  # the unprivileged uid of this child (root only)
    scratch: str = ""  # the private scratch folder (a tmpfs mounted over it when there is a mount namespace)
    deny: tuple[str, ...] = ()  # folders the child must not read, whatever the rules would allow
    readable: tuple[tuple[str, bool], ...] = ()  # (path, is a folder) Landlock lets it read: `readable_paths(deny)`
    seccomp: bytes = b""  # the compiled filter: `seccomp_program()`
    keep_fds: tuple[int, ...] = field(default=())


# ------------------------------------------------------------------------------------------------
# Steps
# ------------------------------------------------------------------------------------------------


def _unshare(flags: int) -> None:
    _check(_libc.unshare(ctypes.c_int(flags)), "unshare")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None) -> None:
    def b(text):
        return text.encode() if text is not None else None

    _check(_libc.mount(b(source), b(target), b(fstype), ctypes.c_ulong(flags), b(data)), f"mount {target}")


def _prctl(option: int, value: int) -> None:
    _check(_libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0), f"prctl {option}")


def _write(path: str, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _set_capabilities(keep: int) -> None:
    """Keep only the capabilities in the bit mask `keep` (effective and permitted), none inheritable."""
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    data[0].effective = data[0].permitted = keep & 0xFFFFFFFF
    data[1].effective = data[1].permitted = keep >> 32
    _check(_libc.capset(ctypes.byref(header), data), "capset")


def enter_namespaces(plan: Plan, spec: Spec) -> None:
    """In C: new namespaces, then a private tmpfs over the scratch folder."""
    flags = 0
    for name in plan.namespaces:
        flags |= CLONE_NEWUSER if name == "userns" else NAMESPACE_FLAGS[name]
    if not flags:
        return
    uid, gid = os.getuid(), os.getgid()
    _unshare(flags)
    if plan.has("userns"):  # map ourselves to root of the new namespace, to mount; G drops every capability
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"0 {uid} 1")
        _write("/proc/self/gid_map", f"0 {gid} 1")
    if plan.has("mountns"):
        _mount(None, "/", None, MS_REC | MS_PRIVATE, None)
        _mount("tmpfs", spec.scratch, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, f"size={spec.scratch_mb}m,mode=1777")


def _path_rules(candidates: list[str], deny: list[str], installation: frozenset[str] = frozenset()) -> list[str]:
    """The candidate folders, split around any denied folder inside them (Landlock can only allow).

    A candidate inside a denied folder is dropped, unless it is part of the Python installation
    (`installation`: a virtual environment inside the course folder is not the course).
    """
    denied = [Path(d).resolve() for d in deny if d]
    allowed: list[str] = []

    def visit(path: Path, trusted: bool) -> None:
        if not path.exists() or path in denied:
            return
        if not trusted and any(path.is_relative_to(d) for d in denied):
            return
        inside = [d for d in denied if d.is_relative_to(path)]
        if not inside or not path.is_dir():
            allowed.append(str(path))
            return
        try:
            entries = sorted(path.iterdir())
        except OSError:
            return
        for entry in entries:
            visit(entry, trusted)

    for candidate in dict.fromkeys(candidates):
        visit(Path(candidate).resolve(), candidate in installation)
    return allowed


def python_paths() -> list[str]:
    """Where the interpreter and its installed packages live."""
    names = ("stdlib", "platstdlib", "purelib", "platlib")
    return [p for p in dict.fromkeys(sysconfig.get_paths().get(n, "") for n in names) if p and os.path.exists(p)]


def extra_python_paths() -> list[str]:
    """Other folders on sys.path (never allowed inside a denied folder: a test run puts tests/ there)."""
    return [p for p in sys.path if os.path.isabs(p or "") and os.path.exists(p) and p not in python_paths()]


@functools.lru_cache(maxsize=16)
def readable_paths(deny: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    """What a child may read, as (path, is a folder): worked out once per grader and deny list, not per child."""
    installation = frozenset(python_paths())
    candidates = [*installation, *extra_python_paths(), *READ_ONLY_SYSTEM]
    return tuple((path, os.path.isdir(path)) for path in _path_rules(candidates, list(deny), installation))


def apply_landlock(plan: Plan, spec: Spec) -> None:
    """Read-only system and Python; read-write scratch; nothing of the course; no TCP; scoped signals."""
    import landlockpy as ll

    read = ll.AccessFS.READ_FILE | ll.AccessFS.READ_DIR
    scoped = ll.Scope.SIGNAL | ll.Scope.ABSTRACT_UNIX_SOCKET
    with ll.Ruleset(scoped=scoped) as rules:
        for path, folder in spec.readable or readable_paths(spec.deny):
            try:
                rules.allow_path(path, read if folder else ll.AccessFS.READ_FILE)
            except FileNotFoundError:  # gone since the list was made (a temporary file): nothing to allow
                continue
        for device in DEVICES:
            if os.path.exists(device):
                rules.allow_path(device, ll.AccessFS.READ_FILE | ll.AccessFS.WRITE_FILE)
        writable = ll.fs_for_abi(ll.abi_version()) & ~(ll.AccessFS.EXECUTE | ll.AccessFS.MAKE_SOCK)
        writable &= ~(ll.AccessFS.MAKE_CHAR | ll.AccessFS.MAKE_BLOCK | ll.AccessFS.MAKE_FIFO)
        rules.allow_path(spec.scratch, writable)
        rules.restrict()


@functools.lru_cache(maxsize=1)
def seccomp_program() -> bytes:
    """The BPF program that denies DENIED_SYSCALLS with EPERM, compiled once per grader (libseccomp)."""
    import pyseccomp

    rules = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
    for name in DENIED_SYSCALLS:
        try:
            rules.add_rule(pyseccomp.ERRNO(errno.EPERM), name)
        except (OSError, ValueError, RuntimeError):
            continue  # a call this kernel or libseccomp does not know
    with tempfile.TemporaryFile() as out:
        rules.export_bpf(out)
        out.seek(0)
        return out.read()


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def apply_seccomp(program: bytes = b"") -> None:
    """Load the seccomp program (`seccomp_program()` unless given); no_new_privs must be set."""
    program = program or seccomp_program()
    code = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.addressof(code))  # 8 bytes per sock_filter instruction
    _check(_libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0), "seccomp")


def limit_resources(spec: Spec) -> None:
    """Address space above what is mapped now, file size, processes, open files; no core dumps."""
    with open("/proc/self/statm") as statm:
        mapped = int(statm.read().split()[0]) * resource.getpagesize()
    cap = mapped + spec.memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    size = spec.scratch_mb * 2**20
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_NPROC, (spec.max_processes, spec.max_processes))
    resource.setrlimit(resource.RLIMIT_NOFILE, (spec.max_open_files, spec.max_open_files))


def drop_privileges(plan: Plan, spec: Spec) -> None:
    """Root: become `spec.uid` with no groups; in a user namespace: give up every capability."""
    if plan.drops_uid and spec.uid is not None:
        os.setgroups([])
        os.setresgid(NOBODY_GID, NOBODY_GID, NOBODY_GID)
        if plan.keep_read_search:
            _prctl(PR_SET_KEEPCAPS, 1)
        os.setresuid(spec.uid, spec.uid, spec.uid)
        _set_capabilities((1 << CAP_DAC_READ_SEARCH) if plan.keep_read_search else 0)
        _prctl(PR_SET_KEEPCAPS, 0)
    elif plan.has("userns"):
        _set_capabilities(0)


def isolate_files(keep: tuple[int, ...]) -> None:
    """Standard streams to /dev/null; every other descriptor closed except `keep`."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    low = 3
    for fd in sorted(set(keep)):
        if fd >= low:
            os.closerange(low, fd)
            low = fd + 1
    os.closerange(low, 65536)


def clear_environment(scratch: str) -> None:
    """Only what Python and the libraries need; nothing of the grader (URLs, passwords, paths)."""
    keep = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL") if k in os.environ}
    os.environ.clear()
    os.environ.update(keep | {"HOME": scratch, "TMPDIR": scratch, "MPLCONFIGDIR": scratch, "MPLBACKEND": "Agg"})
    tempfile.tempdir = scratch


# ------------------------------------------------------------------------------------------------
# The process tree
# ------------------------------------------------------------------------------------------------


def exit_code(status: int) -> int:
    """A wait status as one exit code: the code (up to 127), or 128 + the signal that killed the process."""
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return min(os.WEXITSTATUS(status), 127)


def end_like(code: int) -> None:
    """End this process the way `exit_code` says its child ended (by the same signal, or with the same code)."""
    if code > 128:
        try:
            signal.signal(code - 128, signal.SIG_DFL)
            os.kill(os.getpid(), code - 128)
        except (OSError, ValueError):
            pass
    os._exit(code)


def run_confined(plan: Plan, spec: Spec, work: Callable[[], None], status_fd: int) -> None:
    """In C (the child the grader started): enter the namespaces and run `work` confined in G.

    Writes one line to `status_fd`: `ok`, or `fail <step>: <reason>` when a step of the plan failed (then no
    student code ran). `work` must end the process itself (os._exit) after sending its results.
    """
    os.setpgrp()
    student = 0

    def stop(signum, frame) -> None:  # the grader is done with this child: end G, which C then reaps
        if not student:
            os._exit(0)
        try:
            os.kill(student, signal.SIGKILL)
        except ProcessLookupError:
            pass

    signal.signal(signal.SIGTERM, stop)
    ready_r, ready_w = os.pipe()
    step = "namespaces"
    try:
        if plan.enabled:
            enter_namespaces(plan, spec)
    except OSError as exc:
        _report(status_fd, f"fail {step}: {exc}")
        os._exit(0)
    alive_r, alive_w = os.pipe()
    student = os.fork()
    if student == 0:  # G
        os.close(ready_r)
        os.close(alive_w)
        os.close(status_fd)
        _prepare_student(plan, spec, ready_w, alive_r, work)
    os.close(ready_w)
    os.close(alive_r)
    message = _read_line(ready_r)
    _report(status_fd, message or "fail setup: the student's process ended before it was ready")
    try:
        _, status = os.waitpid(student, 0)
    except ChildProcessError:
        os._exit(0)
    end_like(exit_code(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))


def _prepare_student(plan: Plan, spec: Spec, ready_w: int, alive_r: int, work: Callable[[], None]) -> None:
    """G: confine this process step by step (the first step that fails is reported and nothing runs), then
    tell C it is ready and run `work`."""
    step = "parent death signal"
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if select.select([alive_r], [], [], 0)[0]:  # C died before PDEATHSIG was set
            os._exit(0)
        if plan.enabled:
            if plan.has("pidns") and plan.has("mountns"):
                step = "proc"
                _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)
            _prctl(PR_SET_DUMPABLE, 0)
            step = "no_new_privs"
            _prctl(PR_SET_NO_NEW_PRIVS, 1)
            if plan.landlock_abi:
                step = "landlock"
                apply_landlock(plan, spec)
            if plan.seccomp:
                step = "seccomp"
                apply_seccomp(spec.seccomp)
        step = "files"
        isolate_files((*spec.keep_fds, ready_w))
        step = "limits"
        limit_resources(spec)
        os.chdir(spec.scratch)
        clear_environment(spec.scratch)
        if plan.enabled:
            step = "privileges"
            drop_privileges(plan, spec)
    except Exception as exc:  # noqa: BLE001
        _report(ready_w, f"fail {step}: {exc}")
        os._exit(0)
    _report(ready_w, "ok")
    os.close(ready_w)
    work()
    os._exit(0)


def _report(fd: int, line: str) -> None:
    try:
        os.write(fd, (line.replace("\n", " ")[:500] + "\n").encode())
    except OSError:
        pass


def _read_line(fd: int) -> str:
    data = b""
    while len(data) < 1000:
        try:
            chunk = os.read(fd, 1000)
        except InterruptedError:
            continue
        if not chunk:
            break
        data += chunk
    os.close(fd)
    return data.decode(errors="replace").strip().splitlines()[0] if data.strip() else ""


# ------------------------------------------------------------------------------------------------
# Deciding the plan
# ------------------------------------------------------------------------------------------------


def world_readable(path: str) -> bool:
    """Whether other users can reach and read `path` (every folder above it searchable)."""
    import stat

    current = Path(path).resolve()
    for folder in (current, *current.parents):
        try:
            mode = folder.stat().st_mode
        except OSError:
            return False
        if not mode & stat.S_IXOTH or (folder == current and not mode & stat.S_IROTH):
            return False
    return True


def candidate_plan() -> Plan:
    """Everything this platform might offer, before trying it."""
    skip = _skipped()
    if os.environ.get(SANDBOX_ENV, "").lower() == "off":
        return Plan(enabled=False)
    missing = []
    if not sys.platform.startswith("linux"):
        return Plan(missing=(f"every protection ({sys.platform} is not Linux)",))
    root = os.geteuid() == 0
    namespaces = [n for n in ("mountns", "ipcns", "pidns", "netns") if n not in skip]
    if not root:
        if "userns" in skip:
            namespaces = []
        else:
            namespaces = ["userns", *namespaces]
    try:
        import landlockpy

        abi = 0 if "landlock" in skip else landlockpy.abi_version()
    except Exception:  # noqa: BLE001
        abi = 0
    try:
        import pyseccomp  # noqa: F401

        seccomp = "seccomp" not in skip
    except Exception:  # noqa: BLE001 (libseccomp missing)
        seccomp = False
        missing.append("syscalls: no seccomp (libseccomp not found)")
    keep = root and not all(world_readable(p) for p in python_paths())
    return Plan(True, root, tuple(namespaces), abi, seccomp, keep, tuple(missing))


def explain_missing(plan: Plan) -> tuple[str, ...]:
    """What the final plan lacks, in words."""
    if not plan.enabled:
        return ()
    lines = list(plan.missing)
    if not plan.landlock_abi:
        lines.append(
            "files: no Landlock (kernel older than 5.13, Landlock disabled, or not Linux): the course is readable"
        )
    elif plan.landlock_abi < 6:
        lines.append(f"signals: Landlock ABI {plan.landlock_abi} cannot scope signals")
    if not plan.has("netns") and plan.landlock_abi < 4 and not plan.seccomp:
        lines.append("network: no network namespace, Landlock or seccomp: the network is reachable")
    elif not plan.has("netns"):
        lines.append("network: no network namespace (UDP is not blocked by Landlock)")
    if not plan.has("pidns"):
        how = "the uid is killed after the run" if plan.drops_uid else "only the process group is killed"
        lines.append(f"processes: no PID namespace ({how})")
    if not plan.has("mountns"):
        lines.append("scratch: no mount namespace (scratch is a plain folder; only file size is capped)")
    if not plan.root and not plan.has("userns"):
        lines.append("privileges: not root and no user namespace: the child keeps your uid")
    if plan.root and not plan.drops_uid:
        lines.append("privileges: the child keeps uid 0")
    return tuple(dict.fromkeys(lines))


def try_plan(plan: Plan, spec: Spec) -> str:
    """Run the plan once with no student code; return `ok` or the failing step."""
    from autograder.forkserver import fork_context

    ctx = fork_context()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_trial, args=(plan, spec, sender), daemon=True, name="autograder-child-trial")
    proc.start()
    sender.close()
    line = _read_line(os.dup(receiver.fileno()))
    receiver.close()
    proc.join(10)
    if proc.is_alive():
        proc.kill()
        proc.join()
    return line or "fail setup: no answer"


def _trial(plan: Plan, spec: Spec, status) -> None:
    run_confined(plan, spec, lambda: os._exit(0), status.fileno())


_PLAN: Plan | None = None


def plan(spec: Spec | None = None) -> Plan:
    """The plan for this grader: the candidate, reduced until a trial child runs it (decided once)."""
    global _PLAN
    if _PLAN is not None:
        return _PLAN
    chosen = candidate_plan()
    if chosen.enabled and sys.platform.startswith("linux"):
        spec = spec or Spec(scratch=tempfile.gettempdir(), uid=FIRST_UID)
        failures = []
        for _ in range(8):
            result = try_plan(chosen, spec)
            if result == "ok":
                break
            failures.append(result)
            chosen = _without_failed_step(chosen, result)
        else:
            chosen = Plan(missing=("every protection (no confined child could start: " + "; ".join(failures) + ")",))
    _PLAN = Plan(**(asdict(chosen) | {"missing": ()}))
    _PLAN = Plan(**(asdict(_PLAN) | {"missing": explain_missing(chosen)}))
    return _PLAN


def _without_failed_step(plan: Plan, failure: str) -> Plan:
    """The plan without the mechanism whose step failed (namespaces go one at a time, most fragile first)."""
    values = asdict(plan)
    step = failure.removeprefix("fail ").split(":", 1)[0]
    if step == "namespaces" or step == "proc":
        order = ["netns", "ipcns", "pidns", "mountns"] if step == "namespaces" else ["pidns"]
        current = list(plan.namespaces)
        for name in order:
            if name in current:
                current.remove(name)
                break
        else:
            current = []
        if current == ["userns"]:
            current = []
        values["namespaces"] = tuple(current)
    elif step == "landlock":
        values["landlock_abi"] = 0
    elif step == "seccomp":
        values["seccomp"] = False
    elif step == "privileges":
        values["root"] = False
        values["keep_read_search"] = False
    else:
        return Plan(missing=(f"every protection (a confined child failed: {failure})",))
    return Plan(**values)


def reset_plan() -> None:
    """Forget the plan (tests that change SKIP_ENV)."""
    global _PLAN
    _PLAN = None


def kill_uid(uid: int) -> None:
    """Kill every process of `uid` (the fallback when there is no PID namespace); runs as a throwaway child."""
    os.setresgid(NOBODY_GID, NOBODY_GID, NOBODY_GID)
    os.setresuid(uid, uid, uid)
    for _ in range(3):
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            break
    os._exit(0)


def status_summary(line: str) -> tuple[bool, str]:
    """Whether a child's status line says it was confined, and why not."""
    return line == "ok", line.removeprefix("fail ")
