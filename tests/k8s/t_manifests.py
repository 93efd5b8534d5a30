#!/usr/bin/env python3
"""t_manifests.py: deploy/k8s/ agrees with the image and the config.

Parses the manifests with PyYAML (python3-yaml, from deploy/deps.sh) and
checks them against deploy/image/Containerfile (uid, entry point, volumes),
common/common.h (the image tag), supervisor/config.c (known keys, the drain
timeout default) and deploy/erpsync.conf.example (the paths the image
relies on): ports, paths, uid and probes. The tenant's erpsync.conf is then
checked by the real `erpsyncd -n` (bin/erpsyncd), its paths moved to a
temporary directory. Run by `make check-install`; exit 1 with every
mismatch listed.
Usage: tests/k8s/t_manifests.py [BIN]
"""
import configparser
import glob
import os
import re
import shlex
import subprocess
import sys
import tempfile

import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(REPO, sys.argv[1] if len(sys.argv) > 1 else "bin")
errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)
    return cond


def read(path):
    with open(os.path.join(REPO, path)) as f:
        return f.read()


def parse_conf(text):
    cp = configparser.ConfigParser(inline_comment_prefixes=None,
                                   comment_prefixes=("#", ";"),
                                   interpolation=None, strict=True)
    cp.optionxform = str
    cp.read_string(text)
    return cp


def duration_s(s):
    total, n = 0, 0
    for num, unit in re.findall(r"(\d+)([smhd]?)", s):
        total += int(num) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
        n += 1
    if n == 0:
        raise ValueError("bad duration %r" % s)
    return total


def under(path, root):
    return path == root or path.startswith(root.rstrip("/") + "/")


# --- what the image says (deploy/image/Containerfile, common/common.h)
cf = read("deploy/image/Containerfile")
version = re.search(r'#define ERPSYNC_VERSION "([^"]+)"', read("common/common.h")).group(1)
m = re.search(r"^USER (\d+):(\d+)$", cf, re.M)
img_uid, img_gid = int(m.group(1)), int(m.group(2))
entry = yaml.safe_load(re.search(r"^ENTRYPOINT (.*)$", cf, re.M).group(1))
cmd = yaml.safe_load(re.search(r"^CMD (.*)$", cf, re.M).group(1))
argv = entry + cmd
img_conf = argv[argv.index("-f") + 1]
img_volumes = yaml.safe_load(re.search(r"^VOLUME (.*)$", cf, re.M).group(1))
check(argv[0].endswith("/erpsyncd") and "-d" in argv, "the image does not run erpsyncd -d: %s" % argv)

# --- the daemon's keys and defaults (supervisor/config.c)
config_c = read("supervisor/config.c")
tables = dict(re.findall(r"static const struct ckey (\w+)_keys\[\] = \{(.*?)\};", config_c, re.S))
keys = {name: set(re.findall(r'C[A-Z]\("(\w+)"', body)) for name, body in tables.items()}
section_keys = {"erp": keys["erp"], "supervisor": keys["sv"], "metrics": keys["metrics"]}
for kind in ("customers", "orders", "products", "prices"):
    section_keys[kind] = keys["kind"]
drain_default = int(re.search(r"c->drain_timeout = (\d+);", config_c).group(1))
example = parse_conf(read("deploy/erpsync.conf.example"))
# The example's commented defaults ("#state_dir = /var/lib/erpsync").
example_defaults = dict(re.findall(r"^#(\w+) = (\S+)$", read("deploy/erpsync.conf.example"), re.M))

# --- the manifests
docs = []
for path in sorted(glob.glob(os.path.join(REPO, "deploy/k8s/*.yaml"))):
    with open(path) as f:
        docs += [d for d in yaml.safe_load_all(f) if d]
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], []).append(d)
for k in ("ConfigMap", "Secret", "Service", "StatefulSet", "PodDisruptionBudget"):
    check(k in by_kind, "no %s in deploy/k8s" % k)
if errors:
    print("\n".join("t_manifests: FAIL: " + e for e in errors))
    sys.exit(1)


def named(kind, name):
    for d in by_kind.get(kind, []):
        if d["metadata"]["name"] == name:
            return d
    errors.append("no %s named %s" % (kind, name))
    return None


def matches(selector, labels):
    return all(labels.get(k) == v for k, v in selector.items())


for sts in by_kind["StatefulSet"]:
    name = sts["metadata"]["name"]
    spec = sts["spec"]
    pod = spec["template"]["spec"]
    labels = spec["template"]["metadata"]["labels"]
    check(spec.get("replicas") == 1, "%s: one erpsyncd per tenant, not %s replicas" % (name, spec.get("replicas")))
    check(matches(spec["selector"]["matchLabels"], labels), "%s: selector does not match its pods" % name)
    svc = named("Service", spec["serviceName"])
    if svc:
        check(svc["spec"].get("clusterIP") == "None", "%s: service %s is not headless" % (name, svc["metadata"]["name"]))
        check(matches(svc["spec"]["selector"], labels), "%s: service selector misses the pods" % name)
    check(any(matches(p["spec"]["selector"]["matchLabels"], labels) for p in by_kind["PodDisruptionBudget"]),
          "%s: no PodDisruptionBudget covers its pods" % name)

    # uid: the image's, everywhere
    sc = pod.get("securityContext", {})
    check(sc.get("runAsUser") == img_uid, "%s: runAsUser %s, the image's uid is %d" % (name, sc.get("runAsUser"), img_uid))
    check(sc.get("runAsGroup") == img_gid, "%s: runAsGroup %s, the image's gid is %d" % (name, sc.get("runAsGroup"), img_gid))
    check(sc.get("fsGroup") == img_gid, "%s: fsGroup %s, not %d" % (name, sc.get("fsGroup"), img_gid))
    check(sc.get("runAsNonRoot") is True, "%s: runAsNonRoot is not set" % name)

    containers = {c["name"]: c for c in pod["containers"]}
    inits = {c["name"]: c for c in pod.get("initContainers", [])}
    for c in list(containers.values()) + list(inits.values()):
        check(c["image"] == "erpsync:%s" % version, "%s/%s: image %s, not erpsync:%s" % (name, c["name"], c["image"], version))
        csc = c.get("securityContext", {})
        check(csc.get("runAsUser", img_uid) == img_uid, "%s/%s: runs as another uid" % (name, c["name"]))
        check(csc.get("allowPrivilegeEscalation") is False, "%s/%s: allowPrivilegeEscalation not false" % (name, c["name"]))
    main = containers.get("erpsyncd")
    if not check(main is not None, "%s: no container named erpsyncd" % name):
        continue
    check("command" not in main and "args" not in main,
          "%s: erpsyncd must run as the image's entry point (%s)" % (name, " ".join(argv)))
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m for m in main["volumeMounts"]}
    claims = {t["metadata"]["name"] for t in spec.get("volumeClaimTemplates", [])}

    def mount_of(path):
        best = None
        for mp in mounts:
            if under(path, mp) and (best is None or len(mp) > len(best)):
                best = mp
        return mounts.get(best)

    # The config: a ConfigMap at the directory of the image's -f, read-only.
    cm_mount = mounts.get(os.path.dirname(img_conf))
    conf_text = None
    if check(cm_mount is not None, "%s: nothing mounted at %s" % (name, os.path.dirname(img_conf))):
        check(cm_mount.get("readOnly") is True, "%s: %s is not read-only" % (name, cm_mount["mountPath"]))
        vol = volumes[cm_mount["name"]]
        if check("configMap" in vol, "%s: %s is not a ConfigMap" % (name, cm_mount["mountPath"])):
            cm = named("ConfigMap", vol["configMap"]["name"])
            if cm:
                conf_text = cm["data"].get(os.path.basename(img_conf))
                check(conf_text is not None, "%s: ConfigMap %s has no %s" % (name, cm["metadata"]["name"], os.path.basename(img_conf)))
    if conf_text is None:
        continue
    conf = parse_conf(conf_text)
    for sect in conf.sections():
        if not check(sect in section_keys, "%s: unknown section [%s]" % (name, sect)):
            continue
        for k in conf[sect]:
            check(k in section_keys[sect], "%s: unknown key [%s] %s" % (name, sect, k))

    def setting(sect, key):
        if conf.has_option(sect, key):
            return conf.get(sect, key)
        if example.has_option(sect, key):
            return example.get(sect, key)
        return example_defaults.get(key)

    # Paths: as the image lays them out, on the right volumes.
    for key in ("state_dir", "data_dir", "socket"):
        check(setting("supervisor", key) == example_defaults.get(key),
              "%s: %s = %s, the image expects %s" % (name, key, setting("supervisor", key), example_defaults.get(key)))
    state_dir, data_dir = setting("supervisor", "state_dir"), setting("supervisor", "data_dir")
    sock_dir = os.path.dirname(setting("supervisor", "socket"))
    check(state_dir in img_volumes, "%s: state_dir %s is not a volume of the image %s" % (name, state_dir, img_volumes))
    m = mount_of(state_dir)
    if check(m is not None and m["name"] in claims, "%s: state_dir %s is not on a volumeClaimTemplate" % (name, state_dir)):
        check(under(data_dir, m["mountPath"]), "%s: data_dir %s is not on the PVC" % (name, data_dir))
        check(not m.get("readOnly"), "%s: the PVC is mounted read-only" % name)
    m = mount_of(sock_dir)
    check(m is not None and "emptyDir" in volumes[m["name"]] and not m.get("readOnly"),
          "%s: the socket directory %s is not a writable emptyDir" % (name, sock_dir))
    check(main.get("securityContext", {}).get("readOnlyRootFilesystem") is True,
          "%s: the root filesystem is writable" % name)

    # Credentials: from the Secret, copied by an init container into a
    # volume of their own (mode 0600: a Secret volume under fsGroup is not).
    creds = setting("erp", "credentials")
    m = mount_of(creds)
    if check(m is not None and "emptyDir" in volumes[m["name"]],
             "%s: credentials %s are not on an emptyDir filled by the init container" % (name, creds)):
        filler = [c for c in inits.values() if any(vm["name"] == m["name"] for vm in c["volumeMounts"])]
        if check(len(filler) == 1, "%s: no init container writes %s" % (name, m["mountPath"])):
            script = " ".join(filler[0].get("command", []) + filler[0].get("args", []))
            check("umask 077" in script and creds.replace(m["mountPath"], "") in script,
                  "%s: the init container does not write %s with umask 077: %s" % (name, creds, script))
            secrets = [volumes[vm["name"]]["secret"] for vm in filler[0]["volumeMounts"] if "secret" in volumes[vm["name"]]]
            if check(len(secrets) == 1, "%s: the init container mounts no Secret" % name):
                sec = named("Secret", secrets[0]["secretName"])
                if sec:
                    data = dict(sec.get("data", {}), **sec.get("stringData", {}))
                    check(os.path.basename(creds) in data, "%s: Secret has no key %s" % (name, os.path.basename(creds)))
                    check(not re.search(r"^\s*[^#\s][^:]*:.+", data.get(os.path.basename(creds), ""), re.M),
                          "%s: the Secret in git holds a password line" % name)

    # Metrics and probes: /healthz on the listen port, reachable by the kubelet.
    listen = setting("metrics", "listen")
    if check(listen, "%s: no [metrics] listen: the probes have nothing to ask" % name):
        host, _, port = listen.rpartition(":")
        port = int(port)
        check(host not in ("127.0.0.1", "localhost", "[::1]"),
              "%s: [metrics] listen %s is loopback: the kubelet probes the pod IP" % (name, listen))
        ports = {p["name"]: p["containerPort"] for p in main.get("ports", [])}
        check(port in ports.values(), "%s: containerPort %s is not the listen port %d" % (name, ports, port))
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            p = main.get(probe)
            if not check(p is not None, "%s: no %s" % (name, probe)):
                continue
            hg = p.get("httpGet", {})
            check(hg.get("path") == "/healthz", "%s: %s path %s, not /healthz" % (name, probe, hg.get("path")))
            pp = ports.get(hg.get("port"), hg.get("port"))
            check(pp == port, "%s: %s port %s, not %d" % (name, probe, hg.get("port"), port))
        ann = spec["template"]["metadata"].get("annotations", {})
        if "prometheus.io/port" in ann:
            check(int(ann["prometheus.io/port"]) == port, "%s: prometheus.io/port is not %d" % (name, port))
        if svc:
            for sp in svc["spec"]["ports"]:
                tp = sp.get("targetPort", sp["port"])
                check(ports.get(tp, tp) == port, "%s: service port %s does not reach %d" % (name, sp, port))

    # Termination: above the drain.
    drain = duration_s(setting("supervisor", "drain_timeout") or str(drain_default))
    grace = pod.get("terminationGracePeriodSeconds", 30)
    check(grace >= drain + 10, "%s: terminationGracePeriodSeconds %s is not above drain_timeout %ds + 10s" % (name, grace, drain))

    # The real daemon accepts the config (paths moved to a scratch dir).
    erpsyncd = os.path.join(BIN, "erpsyncd")
    if check(os.access(erpsyncd, os.X_OK), "%s is missing: make all" % erpsyncd):
        with tempfile.TemporaryDirectory(prefix="erpsync-k8s.") as tmp:
            paths = sorted({creds, state_dir, data_dir, sock_dir}, key=len, reverse=True)
            text = re.sub("|".join(map(re.escape, paths)), lambda mo: tmp + mo.group(0), conf_text)
            os.makedirs(os.path.dirname(tmp + creds), exist_ok=True)
            fd = os.open(tmp + creds, os.O_WRONLY | os.O_CREAT, 0o600)
            os.write(fd, b"erpadmin:x\n")
            os.close(fd)
            with open(os.path.join(tmp, "erpsync.conf"), "w") as f:
                f.write(text)
            r = subprocess.run([erpsyncd, "-n", "-f", os.path.join(tmp, "erpsync.conf")],
                               capture_output=True, text=True, timeout=30)
            check(r.returncode == 0, "%s: erpsyncd -n refuses the ConfigMap's config: %s" % (name, (r.stdout + r.stderr).strip()))

if errors:
    print("\n".join("t_manifests: FAIL: " + e for e in errors))
    sys.exit(1)
print("t_manifests: ok (%d StatefulSet(s); uid %d, image erpsync:%s, %s)" %
      (len(by_kind["StatefulSet"]), img_uid, version, shlex.join(argv)))
