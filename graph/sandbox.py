"""Take the network away from the current process (query workers): an empty network namespace where the
kernel allows it, and a seccomp filter that refuses every non-Unix socket; says what it managed."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import platform
import struct

__all__ = ["isolate_network", "NO_ISOLATION"]

#: what ``isolate_network`` returns when it could do nothing (non-Linux, unknown architecture, refused)
NO_ISOLATION = "none"

_CLONE_NEWNET = 0x40000000
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_AF_UNIX = 1

# BPF opcodes
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06

#: machine -> (audit architecture, socket syscall, io_uring_setup syscall, x32 bit or 0)
_ARCH = {
    "x86_64": (0xC000003E, 41, 425, 0x40000000),
    "aarch64": (0xC00000B7, 198, 425, 0),
}


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def _filter(arch: int, socket_nr: int, uring_nr: int, x32_bit: int) -> bytes:
    deny = _SECCOMP_RET_ERRNO | errno.EPERM
    # (code, jt, jf, k); jumps are relative to the next instruction
    program = [
        (_LD_W_ABS, 0, 0, 4),  # 0: A = arch
        (_JEQ_K, 1, 0, arch),  # 1: our ABI -> 3
        (_RET_K, 0, 0, deny),  # 2: any other ABI (32-bit calls) -> refuse
        (_LD_W_ABS, 0, 0, 0),  # 3: A = syscall number
    ]
    if x32_bit:
        program.append((_JGE_K, 0, 1, x32_bit))  # x32 calls -> refuse
        program.append((_RET_K, 0, 0, deny))
    program += [
        (_JEQ_K, 2, 0, socket_nr),  # socket() -> check its domain
        (_JEQ_K, 0, 1, uring_nr),  # io_uring could open sockets behind the filter's back
        (_RET_K, 0, 0, deny),
        (_RET_K, 0, 0, _SECCOMP_RET_ALLOW),  # everything else
    ]
    socket_check = len(program)
    program += [
        (_LD_W_ABS, 0, 0, 16),  # A = low word of the first argument (the domain)
        (_JEQ_K, 0, 1, _AF_UNIX),
        (_RET_K, 0, 0, _SECCOMP_RET_ALLOW),
        (_RET_K, 0, 0, deny),
    ]
    # fix the jump of "socket() -> check its domain" now that the check's place is known
    jump_at = socket_check - 4
    code, _, jf, k = program[jump_at]
    program[jump_at] = (code, socket_check - jump_at - 1, jf, k)
    return b"".join(struct.pack("=HBBI", *ins) for ins in program)


def _seccomp() -> bool:
    spec = _ARCH.get(platform.machine())
    if spec is None:
        return False
    libc = _libc()
    code = _filter(*spec)
    count = len(code) // 8
    buffer = ctypes.create_string_buffer(code, len(code))

    class _Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = _Prog(count, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return bool(libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0)


def _namespace() -> bool:
    try:
        return bool(_libc().unshare(_CLONE_NEWNET) == 0)
    except (OSError, AttributeError):
        return False


def isolate_network() -> str:
    """Cut this process off the network for good; return what did it ("netns+seccomp", "seccomp", ...).

    Only Unix sockets stay usable (no process here needs them; they cannot reach another machine).
    """
    if os.name != "posix" or platform.system() != "Linux":
        return NO_ISOLATION
    done = []
    if _namespace():
        done.append("netns")
    try:
        if _seccomp():
            done.append("seccomp")
    except OSError:
        pass
    return "+".join(done) or NO_ISOLATION
