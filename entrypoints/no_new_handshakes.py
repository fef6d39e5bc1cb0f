"""Make a listening TCP socket take no new connections while it still holds its backlog.

Closing a listening socket resets the connections in its accept queue, and there is
no call that stops the kernel from completing new handshakes short of closing it. On
Linux a socket filter can: a classic BPF program attached with `SO_ATTACH_FILTER`
sees each incoming segment from its TCP header on, and one that drops every segment
with SYN set and ACK clear drops new connection requests only; the segments of the
handshakes under way and of accepted connections pass. A dropped SYN is sent again by
the client (after about a second), by which time the socket is closed and the client
is refused: it knows its request was never received.
"""

from __future__ import annotations

import ctypes
import socket
import struct
import sys

#: `SO_ATTACH_FILTER` from <asm-generic/socket.h>.
SO_ATTACH_FILTER = 26

_LOAD_BYTE_ABSOLUTE = 0x30  # BPF_LD | BPF_B | BPF_ABS
_AND_CONSTANT = 0x54  # BPF_ALU | BPF_AND | BPF_K
_JUMP_IF_EQUAL = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_RETURN = 0x06  # BPF_RET | BPF_K
_TCP_FLAGS_OFFSET = 13
_SYN, _ACK = 0x02, 0x10

#: (code, jump if true, jump if false, constant) for each instruction.
_DROP_NEW_SYNS = (
    (_LOAD_BYTE_ABSOLUTE, 0, 0, _TCP_FLAGS_OFFSET),
    (_AND_CONSTANT, 0, 0, _SYN | _ACK),
    (_JUMP_IF_EQUAL, 0, 1, _SYN),  # SYN without ACK: a new connection
    (_RETURN, 0, 0, 0),  # drop it
    (_RETURN, 0, 0, 0xFFFFFFFF),  # keep everything else whole
)


def stop_new_handshakes(listening: socket.socket) -> bool:
    """Drop new connection requests to `listening` from now on; False where that is not
    possible (not Linux, not TCP), and the caller closes as before."""
    if not sys.platform.startswith("linux") or listening.type != socket.SOCK_STREAM:
        return False
    if listening.family not in (socket.AF_INET, socket.AF_INET6):
        return False
    program = ctypes.create_string_buffer(
        b"".join(struct.pack("HBBI", *instruction) for instruction in _DROP_NEW_SYNS)
    )
    # struct sock_fprog { unsigned short len; struct sock_filter *filter; }
    fprog = struct.pack("HP", len(_DROP_NEW_SYNS), ctypes.addressof(program))
    try:
        listening.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)
    except OSError:
        return False
    return True
