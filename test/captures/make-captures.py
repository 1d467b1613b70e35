#!/usr/bin/env python3
"""Make the Linux captures of test/captures/ with tcpdump on the loopback (needs root; only 127.0.0.1).

Each scenario runs real sockets of this machine's Linux TCP on its own port while tcpdump records that port.
The tests read the committed files and need neither root nor tcpdump. Run again with:

    sudo python3 test/captures/make-captures.py          # all scenarios
    sudo python3 test/captures/make-captures.py abort    # one

simultaneous-open and crossing-fins run in a network namespace of their own (`unshare -n`, also root) whose
loopback is slowed down by a token bucket qdisc, so that segments really cross (see slow_down_loopback).

Python, not Node: the scenarios need socket options Node does not offer (SO_LINGER for an abort, binding a
client port for the SYN in TIME-WAIT, shutdown for a half-close, not reading on purpose).
"""
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HOST = '127.0.0.1'
PAUSE = 0.05  # between steps: the segments of one step are all out before the next step begins


def listener(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST, port))
    s.listen(4)
    return s


def client(port, local_port=None):
    c = socket.socket()
    if local_port:
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.bind((HOST, local_port))
    c.connect((HOST, port))
    return c


def pause():
    time.sleep(PAUSE)


def opened(port, local_port=None):
    srv = listener(port)
    cli = client(port, local_port)
    conn, _ = srv.accept()
    pause()
    return srv, cli, conn


def open_data_close_client(port):
    srv, cli, conn = opened(port)
    cli.sendall(b'HELLO'); pause()
    assert conn.recv(5) == b'HELLO'
    conn.sendall(b'WORLD'); pause()
    assert cli.recv(5) == b'WORLD'
    cli.close(); pause()
    assert conn.recv(1) == b''
    pause()
    conn.close(); pause()
    srv.close()


def close_server_first(port):
    srv, cli, conn = opened(port)
    cli.sendall(b'HELLO'); pause()
    conn.recv(5)
    conn.sendall(b'BYE'); pause()
    conn.close(); pause()
    assert cli.recv(3) == b'BYE'
    assert cli.recv(1) == b''
    cli.close(); pause()
    srv.close()


def three_segment_close(port):
    srv, cli, conn = opened(port)
    cli.sendall(b'HELLO'); pause()
    conn.recv(5); pause()
    # The server closes as soon as it reads the end of the stream: its FIN can carry the ACK of the client's.
    cli.shutdown(socket.SHUT_WR)
    assert conn.recv(1) == b''
    conn.close(); pause()
    cli.close(); pause()
    srv.close()


def half_close(port):
    srv, cli, conn = opened(port)
    cli.sendall(b'REQUEST'); pause()
    conn.recv(7)
    cli.shutdown(socket.SHUT_WR); pause()
    assert conn.recv(1) == b''
    conn.sendall(b'ANSWER AFTER YOUR FIN'); pause()
    assert cli.recv(64) == b'ANSWER AFTER YOUR FIN'
    conn.close(); pause()
    cli.close(); pause()
    srv.close()


def simultaneous_close(port):
    srv, cli, conn = opened(port)
    cli.sendall(b'HELLO'); pause()
    conn.recv(5)
    barrier = threading.Barrier(2)

    def shut(sock):
        barrier.wait()
        sock.shutdown(socket.SHUT_WR)

    threads = [threading.Thread(target=shut, args=(s,)) for s in (cli, conn)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pause()
    cli.close(); conn.close(); pause()
    srv.close()


def rst_on_closed_port(port):
    c = socket.socket()
    try:
        c.connect((HOST, port))
    except ConnectionRefusedError:
        pass
    c.close(); pause()


def abort(port):
    srv, cli, conn = opened(port)
    cli.sendall(b'HELLO'); pause()
    conn.recv(5); pause()
    # SO_LINGER on with a zero timeout: close() aborts, sending a RST (RFC 9293 §3.10.5).
    cli.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    cli.close(); pause()
    conn.close(); srv.close(); pause()


def close_with_unread_data(port):
    srv, cli, conn = opened(port)
    cli.sendall(b'UNREAD'); pause()
    # The server never reads: closing with data still unread sends a RST (RFC 9293 §3.10.4 / RFC 2525 §2.17).
    conn.close(); pause()
    cli.close(); pause()
    srv.close()


def syn_in_time_wait(port):
    local = port + 100
    srv, cli, conn = opened(port, local)
    cli.sendall(b'FIRST'); pause()
    conn.recv(5)
    # The server closes first, so it is the server that waits in TIME-WAIT...
    conn.close(); pause()
    assert cli.recv(1) == b''
    cli.close(); pause()
    # ...when the client opens again from the same port: its SYN arrives in TIME-WAIT.
    again = client(port, local)
    conn2, _ = srv.accept(); pause()
    again.sendall(b'SECOND'); pause()
    conn2.recv(6)
    again.close(); pause()
    conn2.recv(1); conn2.close(); pause()
    srv.close()


def open_data_close_client_ipv6(port):
    global HOST
    HOST = '::1'
    try:
        srv = socket.socket(socket.AF_INET6)
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind((HOST, port)); srv.listen(1)
        cli = socket.socket(socket.AF_INET6); cli.connect((HOST, port))
        conn, _ = srv.accept(); pause()
        cli.sendall(b'HELLO'); pause()
        conn.recv(5)
        cli.close(); pause()
        conn.recv(1); conn.close(); pause()
        srv.close()
    finally:
        HOST = '127.0.0.1'


# The loopback hands a segment to its receiver before its sender's next step, so two ends acting "at once"
# never really cross there. These two scenarios run in a private network namespace (the host's loopback is
# left alone) whose loopback gets a token bucket qdisc: `netem` is not in this kernel, `tbf` is. A packet that
# finds the bucket empty waits in the qdisc, so both ends' segments are queued before the first leaves, and
# each end receives the other's while it is in SYN-SENT (or FIN-WAIT-1). tcpdump taps the loopback after the
# qdisc (dev_hard_start_xmit), so the capture shows the order and times on the "wire" out of the queue.
SLOW_LINK = ['tbf', 'rate', '80kbit', 'burst', '1600', 'latency', '5s']


def slow_down_loopback():
    subprocess.run(['tc', 'qdisc', 'add', 'dev', 'lo', 'root', *SLOW_LINK], check=True)
    # Empty the bucket: the first 1,500-byte datagram takes most of its 1,600 tokens, the second waits about
    # 140 ms at 80 kbit/s for more. What is sent next queues behind it. (UDP to a bound socket, so no ICMP
    # answer; the capture records only TCP on the scenario's port.)
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind((HOST, 47999))
    out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for _ in range(2):
        out.sendto(bytes(1472), (HOST, 47999))
    return sink, out


def simultaneous_open(port):
    # Two sockets on fixed ports, each connecting to the other: no listener (RFC 9293 Figure 8). The SYNs
    # queue behind the drain; each end then receives the other's SYN in SYN-SENT and answers with a SYN,ACK.
    a = socket.socket(); a.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); a.bind((HOST, port))
    b = socket.socket(); b.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); b.bind((HOST, port + 1))
    a.setblocking(False); b.setblocking(False)
    drain = slow_down_loopback()
    a.connect_ex((HOST, port + 1))
    b.connect_ex((HOST, port))
    a.setblocking(True); b.setblocking(True)
    time.sleep(1)  # a few segments of 80 bytes at 80 kbit/s, well inside the SYN's 1 s retransmission timeout
    for s in (a, b):
        assert s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
        s.getpeername()  # raises if not connected
    a.sendall(b'HELLO'); time.sleep(0.3)
    assert b.recv(5) == b'HELLO'
    a.close(); time.sleep(0.3)
    assert b.recv(1) == b''
    b.close(); time.sleep(0.5)
    for s in drain:
        s.close()


def crossing_close(port):
    # Opened and a little data on the plain loopback, then the slow qdisc, then both ends close one after
    # the other before either FIN leaves the queue: each end receives the other's FIN in FIN-WAIT-1 (CLOSING).
    srv, cli, conn = opened(port)
    cli.sendall(b'HELLO'); pause()
    assert conn.recv(5) == b'HELLO'
    drain = slow_down_loopback()
    cli.shutdown(socket.SHUT_WR)
    conn.shutdown(socket.SHUT_WR)
    time.sleep(1)
    assert cli.recv(1) == b'' and conn.recv(1) == b''
    cli.close(); conn.close(); srv.close(); time.sleep(0.5)
    for s in drain:
        s.close()


def bulk_data(port):
    srv, cli, conn = opened(port)
    payload = bytes(range(256)) * 800  # 200 KiB: several segments of the loopback's MSS
    sender = threading.Thread(target=cli.sendall, args=(payload,))
    sender.start()
    got = 0
    while got < len(payload):
        got += len(conn.recv(65536))
    sender.join(); pause()
    cli.close(); pause()
    conn.recv(1); conn.close(); pause()
    srv.close()


# name: (function, port, tcpdump options). Ports 47001+ on 127.0.0.1 only; -s 128 keeps the files small
# (the IP header still says how long each segment was).
SCENARIOS = {
    'open-data-close-client': (open_data_close_client, 47001, []),
    'close-server-first': (close_server_first, 47002, []),
    'three-segment-close': (three_segment_close, 47003, []),
    'half-close': (half_close, 47004, []),
    'simultaneous-close': (simultaneous_close, 47005, []),
    'rst-closed-port': (rst_on_closed_port, 47006, []),
    'abort': (abort, 47007, []),
    'close-unread-data': (close_with_unread_data, 47008, []),
    'syn-in-time-wait': (syn_in_time_wait, 47009, []),
    'bulk-data': (bulk_data, 47010, ['-s', '128']),
}
# Other link types and formats than the loopback's Ethernet/pcap, made from the same kind of run.
VARIANTS = {
    'open-data-close-client-sll2': (open_data_close_client, 47011, ['-i', 'any']),
    'close-server-first-nano': (close_server_first, 47012, ['--time-stamp-precision', 'nano']),
    'open-data-close-client-ipv6': (open_data_close_client_ipv6, 47013, []),
}
# Crossing segments: each in its own network namespace (`unshare -n`), its loopback slowed down by a qdisc.
CROSSING = {
    'simultaneous-open': (simultaneous_open, 47014, []),
    'crossing-fins': (crossing_close, 47016, []),
}


def record(name, run, port, options):
    path = os.path.join(HERE, f'{name}.pcap')
    interface = [] if '-i' in options else ['-i', 'lo']
    dump = subprocess.Popen(
        ['tcpdump', *interface, '--immediate-mode', '-U', '-n', '-Z', 'root', '-w', path, *options, f'tcp port {port}'],
        stderr=subprocess.PIPE,
    )
    # tcpdump says "listening on ..." once it captures
    while b'listening on' not in (dump.stderr.readline() or b'listening on'):
        pass
    time.sleep(0.5)  # "listening on" comes a moment before packets are really captured
    run(port)
    time.sleep(1.5)  # libpcap hands packets over in blocks: let the last one reach the file
    dump.send_signal(signal.SIGINT)
    dump.wait(timeout=5)
    print(f'{name}.pcap: {os.path.getsize(path)} bytes')


def main():
    if sys.argv[1:2] == ['--in-private-namespace']:
        # Started by the branch below inside `unshare -n`: a fresh loopback, down until brought up.
        subprocess.run(['ip', 'link', 'set', 'lo', 'up'], check=True)
        name = sys.argv[2]
        record(name, *CROSSING[name])
        return
    wanted = sys.argv[1:]
    for name, (run, port, options) in {**SCENARIOS, **VARIANTS}.items():
        if not wanted or name in wanted:
            record(name, run, port, options)
    for name in CROSSING:
        if not wanted or name in wanted:
            subprocess.run(['unshare', '-n', sys.executable, os.path.abspath(__file__), '--in-private-namespace', name], check=True)


if __name__ == '__main__':
    main()
