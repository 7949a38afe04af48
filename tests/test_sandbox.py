"""The sandbox's own set-up, below the attacks: what a child is given once per grader."""

from __future__ import annotations

import tempfile

import pytest

from autograder import sandbox


def trial_spec(**fields) -> sandbox.Spec:
    """A spec for a trial child, as the grader would make it on this machine."""
    plan = sandbox.plan()
    scratch = tempfile.gettempdir() if plan.has("mountns") else tempfile.mkdtemp()
    uid = sandbox.FIRST_UID if plan.drops_uid and plan.has("mountns") else None
    return sandbox.Spec(scratch=scratch, uid=uid, **fields)


def test_a_vanished_readable_path_does_not_stop_the_sandbox(tmp_path):
    """When a path on the read list (made once per grader) has vanished since, does a child still start?"""
    if not sandbox.plan().landlock_abi:
        pytest.skip("no Landlock on this machine")
    gone = tmp_path / "gone"
    gone.mkdir()
    readable = (*sandbox.readable_paths(()), (str(gone), True))
    gone.rmdir()
    assert sandbox.try_plan(sandbox.plan(), trial_spec(readable=readable)) == "ok"


def test_the_compiled_seccomp_filter_denies_sockets():
    """Does the filter compiled once in the grader, loaded by a child, refuse `socket` (and nothing it needs)?"""
    import os
    import socket

    if not sandbox.plan().seccomp:
        pytest.skip("no seccomp on this machine")
    program = sandbox.seccomp_program()
    assert program and len(program) % 8 == 0  # whole BPF instructions
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # a throwaway child: the filter cannot be taken off again
        os.close(read)
        sandbox._prctl(sandbox.PR_SET_NO_NEW_PRIVS, 1)
        sandbox.apply_seccomp(program)
        try:
            socket.socket()
            verdict = b"allowed"
        except PermissionError:
            verdict = b"denied"
        os.write(write, verdict + (b" files ok" if os.path.exists(tempfile.gettempdir()) else b""))
        os._exit(0)
    os.close(write)
    answer = os.read(read, 100)
    os.close(read)
    os.waitpid(pid, 0)
    assert answer == b"denied files ok"
