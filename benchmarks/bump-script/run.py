#!/usr/bin/env python3
"""What the invalidator's bump script costs redis-server per event (ADR 0010, 0017, 0023).

Starts a redis-server of its own on a free loopback port (docker-compose's memory settings, no persistence), loads
GenerationLedger.BUMP as the Java source holds it, and calls it as the invalidator calls it on a backlog: GROUPS groups
per call over GROUPS / DOMAINS tenants (DOMAINS groups of a tenant, one per domain), each group the domain's
collections counter and ENTITIES single-entity writes. Two cases, in alternating rounds: entities a node has read
(their counters created by GenerationLedger.READ first) and entities nobody read (no counter). Prints redis-server's
CPU per event (user + system, from /proc) and the script's own time per event (INFO commandstats).

    benchmarks/bump-script/run.py [GROUPS] [ENTITIES] [CALLS] [ROUNDS] [DOMAINS]     (default 1000 5 40 3 1)

The invalidator profile's backlog is close to 1000 2 40 3 2: a poll batch of 2,000 events over 500 tenants with two
domains each, every event an entity of its own.

With COMPARE set to another GenerationLedger.java (an earlier build's, from git show), each round runs that build's
scripts too, alternating with this one's, on the same redis-server:

    git show 8f54591:shared-events/src/main/java/io/cachebus/events/GenerationLedger.java > /tmp/GenerationLedger.java
    COMPARE=/tmp/GenerationLedger.java benchmarks/bump-script/run.py
"""
import os
import re
import socket
import subprocess
import sys
import textwrap
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LEDGER = os.path.join(HERE, '..', '..', 'shared-events', 'src', 'main', 'java', 'io', 'cachebus', 'events',
                      'GenerationLedger.java')
ENTITY_MARK = '/entity/'
TTL_MS = '86400000'


def scripts(path):
    """READ and BUMP as the GenerationLedger at path builds them: the shared functions, then each script's lines."""
    source = open(path).read()

    def block(name):
        match = re.search(r'\b' + name + r' = (CURRENT_GENERATIONS \+ )?"""\n(.*?)"""', source, re.S)
        return textwrap.dedent(match.group(2))

    shared = block('CURRENT_GENERATIONS').replace('ENTITY_MARK_TEXT', ENTITY_MARK)
    return shared + block('READ'), shared + block('BUMP')


class Redis:
    """Just enough RESP for scripts and INFO."""

    def __init__(self, port):
        self.sock = socket.create_connection(('127.0.0.1', port))
        self.reader = self.sock.makefile('rb')

    def call(self, *args):
        parts = [b'*%d\r\n' % len(args)]
        for arg in args:
            data = arg if isinstance(arg, bytes) else str(arg).encode()
            parts.append(b'$%d\r\n%s\r\n' % (len(data), data))
        self.sock.sendall(b''.join(parts))
        return self.reply()

    def reply(self):
        line = self.reader.readline()
        kind, rest = line[:1], line[1:-2]
        if kind == b'+':
            return rest.decode()
        if kind == b'-':
            raise RuntimeError(rest.decode())
        if kind == b':':
            return int(rest)
        if kind == b'$':
            size = int(rest)
            return None if size < 0 else self.reader.read(size + 2)[:-2]
        return [self.reply() for _ in range(int(rest))]


def free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def cpu_seconds(pid):
    fields = open('/proc/%d/stat' % pid).read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def main():
    groups, entities, calls, rounds, domains = (
        int(a) for a in (sys.argv[1:] + ['1000', '5', '40', '3', '1'][len(sys.argv) - 1:]))
    builds = [('this', LEDGER)] + ([('compared', os.environ['COMPARE'])] if os.environ.get('COMPARE') else [])
    port = free_port()
    server = subprocess.Popen(['redis-server', '--port', str(port), '--bind', '127.0.0.1', '--save', '',
                               '--appendonly', 'no', '--maxmemory', '256mb', '--maxmemory-policy', 'volatile-lru'],
                              stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                redis = Redis(port)
                redis.call('PING')
                break
            except OSError:
                time.sleep(0.05)
        shas = {}
        for build, path in builds:
            read, bump = scripts(path)
            shas[build] = (redis.call('SCRIPT', 'LOAD', read), redis.call('SCRIPT', 'LOAD', bump))
        events = groups * entities * calls
        print('%d calls of %d groups over %d tenants, each a collections counter and %d entities: %d events per case '
              'and round' % (calls, groups, groups // domains, entities, events))
        for round_number in range(1, rounds + 1):
            for build, case in [(build, case) for case in ('read', 'unread') for build, _ in builds]:
                read_sha, bump_sha = shas[build]
                tenant_prefix = 'r%d-%s-%s' % (round_number, build, case)
                batches = []
                for call in range(calls):
                    keys, arguments = [], [TTL_MS]
                    for group in range(groups):
                        tenant = '%s-%d' % (tenant_prefix, group // domains)
                        ledger = 'cachebus:ledger:{%s}' % tenant
                        domain = 'cachebus:gen:{%s}:domain%d' % (tenant, group % domains)
                        counters = [domain + '/collections'] + [
                            '%s%sw%d' % (domain, ENTITY_MARK, call * entities + e) for e in range(entities)]
                        if case == 'read':
                            redis.call('EVALSHA', read_sha, 1 + len(counters), ledger, *counters, TTL_MS)
                        keys += [ledger] + counters
                        arguments.append(len(counters))
                    batches.append((keys, arguments))
                redis.call('CONFIG', 'RESETSTAT')
                before = cpu_seconds(server.pid)
                for keys, arguments in batches:
                    redis.call('EVALSHA', bump_sha, len(keys), *keys, *arguments)
                spent = cpu_seconds(server.pid) - before
                stats = redis.call('INFO', 'commandstats').decode()
                script_usec = int(re.search(r'cmdstat_evalsha:calls=\d+,usec=(\d+)', stats).group(1))
                print('round %d, %-8s entities %-6s redis-server CPU %5.2f us per event, the script %5.2f us per '
                      'event, keys %d' % (round_number, build, case + ':', spent * 1e6 / events, script_usec / events,
                                          redis.call('DBSIZE')))
    finally:
        server.terminate()
        server.wait()


if __name__ == '__main__':
    main()
