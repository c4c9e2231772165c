"""Kernel-enforced limits for the check process; used by `_child.py` only (stdlib and ctypes).

The audit hook in `_child.py` explains a refusal in words, but Python code can reach around it
(ctypes, or poking the harness's own module). What holds regardless is set up here, in the
child, before the candidate's code runs:

- `PR_SET_PDEATHSIG`: the child is killed when the interviewer dies, instead of being orphaned;
- a new user namespace (where the platform allows it) with an empty network namespace, and every
  capability dropped: even as root, the child cannot read the interviewer's memory or
  `/proc/<parent>/environ` (the parent marks itself non-dumpable, see `runner.py`);
- `PR_SET_NO_NEW_PRIVS` and a seccomp filter: no new processes (fork, vfork, clone without
  CLONE_THREAD, exec), no sockets (socketpair, which never leaves the process, stays), no signals
  to any other process, no ptrace or cross-process memory access, no namespaces, mounts,
  io_uring, BPF, keyrings or modules. A refused call fails with EPERM (clone3 with ENOSYS, so
  the C library falls back to clone for threads, which stay allowed).

Linux on x86_64 and aarch64 only; elsewhere the rlimits, the wall clock, the process-group kill
and the audit hook remain.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct
import sys

PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP = 1, 38, 22
SECCOMP_MODE_FILTER = 2
CLONE_NEWUSER, CLONE_NEWNET, CLONE_THREAD = 0x10000000, 0x40000000, 0x00010000
SIGKILL = 9
AF_UNIX = 1

# seccomp_data: nr (u32) at 0, arch (u32) at 4, ip (u64) at 8, args[6] (u64) from 16.
_NR, _ARCH, _ARG0 = 0, 4, 16
_LD_ABS, _JEQ, _JSET, _RET = 0x20, 0x15, 0x45, 0x06
_ALLOW = 0x7FFF0000
_ERRNO = 0x00050000
_KILL_PROCESS = 0x80000000

_ARCHES = {
    "x86_64": (0xC000003E, {
        "fork": 57, "vfork": 58, "clone": 56, "clone3": 435, "execve": 59, "execveat": 322, "kill": 62,
        "tkill": 200, "tgkill": 234, "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297, "pidfd_send_signal": 424,
        "pidfd_getfd": 438, "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "process_madvise": 440,
        "kcmp": 312, "socket": 41, "unshare": 272, "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155,
        "chroot": 161, "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432,
        "fspick": 433, "mount_setattr": 442, "name_to_handle_at": 303, "open_by_handle_at": 304,
        "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "bpf": 321, "perf_event_open": 298,
        "userfaultfd": 323, "keyctl": 250, "add_key": 248, "request_key": 249, "kexec_load": 246,
        "init_module": 175, "finit_module": 313, "delete_module": 176, "reboot": 169,
    }),
    "aarch64": (0xC00000B7, {
        "clone": 220, "clone3": 435, "execve": 221, "execveat": 281, "kill": 129, "tkill": 130, "tgkill": 131,
        "rt_sigqueueinfo": 138, "rt_tgsigqueueinfo": 240, "pidfd_send_signal": 424, "pidfd_getfd": 438,
        "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271, "process_madvise": 440, "kcmp": 272,
        "socket": 198, "unshare": 97, "setns": 268, "mount": 40, "umount2": 39, "pivot_root": 41, "chroot": 51,
        "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
        "mount_setattr": 442, "name_to_handle_at": 264, "open_by_handle_at": 265, "io_uring_setup": 425,
        "io_uring_enter": 426, "io_uring_register": 427, "bpf": 280, "perf_event_open": 241, "userfaultfd": 282,
        "keyctl": 219, "add_key": 217, "request_key": 218, "kexec_load": 104, "init_module": 105,
        "finit_module": 273, "delete_module": 106, "reboot": 142,
    }),
}
_SIGNAL_TARGET_FIRST = ("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")  # allowed at our own pid only


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def die_with_parent(parent_pid: int) -> bool:
    """Be killed when the interviewer dies; if it already has, stop now."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        if _libc().prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if os.getppid() != parent_pid:
        os._exit(1)  # the parent died before the request took effect
    return True


def isolate_namespaces() -> str:
    """A new user and network namespace where allowed (must run while single-threaded);
    returns "user+network", "network" or "none"."""
    if not sys.platform.startswith("linux"):
        return "none"
    try:
        libc = _libc()
        if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
            return "user+network"
        if libc.unshare(CLONE_NEWNET) == 0:
            return "network"
    except (OSError, AttributeError):
        pass
    return "none"


def drop_capabilities() -> bool:
    """Give up every capability (a root child keeps no CAP_SYS_PTRACE or CAP_DAC_OVERRIDE)."""
    if not sys.platform.startswith("linux"):
        return False
    header = struct.pack("Ii", 0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this thread
    data = ctypes.create_string_buffer(24)  # two {effective, permitted, inheritable}, all zero
    try:
        return _libc().capset(ctypes.c_char_p(header), data) == 0
    except (OSError, AttributeError):
        return False


def _filter(arch: int, numbers: dict[str, int], own_pid: int) -> bytes:
    """The BPF program: allow everything except the calls above (with the exceptions noted)."""
    program: list[tuple[int, int, int, int]] = []

    def op(code: int, k: int, jt: int = 0, jf: int = 0) -> None:
        program.append((code, jt, jf, k & 0xFFFFFFFF))

    op(_LD_ABS, _ARCH)
    op(_JEQ, arch, 1, 0)
    op(_RET, _KILL_PROCESS)  # a syscall from another ABI could dodge the numbers below
    op(_LD_ABS, _NR)
    if arch == _ARCHES["x86_64"][0]:
        op(0x35, 0x40000000, 0, 1)  # JGE: x32 system calls
        op(_RET, _ERRNO | errno.EPERM)
    for name, number in numbers.items():
        if name == "clone":
            # Allowed only for threads: load flags (arg 0), test CLONE_THREAD, reload the number.
            op(_JEQ, number, 0, 4)
            op(_LD_ABS, _ARG0)
            op(_JSET, CLONE_THREAD, 1, 0)
            op(_RET, _ERRNO | errno.EPERM)
            op(_RET, _ALLOW)
        elif name in _SIGNAL_TARGET_FIRST:
            op(_JEQ, number, 0, 4)
            op(_LD_ABS, _ARG0)
            op(_JEQ, own_pid, 0, 1)
            op(_RET, _ALLOW)
            op(_RET, _ERRNO | errno.EPERM)
        else:
            reply = errno.ENOSYS if name == "clone3" else errno.EPERM
            op(_JEQ, number, 0, 1)
            op(_RET, _ERRNO | reply)
    op(_RET, _ALLOW)
    return b"".join(struct.pack("HBBI", *instruction) for instruction in program)


def install_seccomp() -> bool:
    """No new privileges, then the filter; False where the platform has neither."""
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
    if not sys.platform.startswith("linux") or machine not in _ARCHES:
        return False
    arch, numbers = _ARCHES[machine]
    code = _filter(arch, numbers, os.getpid())
    buffer = ctypes.create_string_buffer(code, len(code))

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    program = Program(len(code) // 8, ctypes.addressof(buffer))
    try:
        libc = _libc()
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) == 0
    except (OSError, AttributeError):
        return False
