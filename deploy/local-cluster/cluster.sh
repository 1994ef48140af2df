#!/usr/bin/env bash
# A local 3-node Apache Kafka cluster (KRaft, combined broker+controller, one JVM per node) made of
# Apache Kafka's own server, kafka.Kafka from org.apache.kafka:kafka_2.13 (the project's ${kafka.version}).
#
#   cluster.sh start  [base-dir]    format once, start the nodes that are not running, wait, print
#                                   the bootstrap servers (the only line on stdout)
#   cluster.sh stop   [base-dir]    SIGTERM (controlled shutdown), SIGKILL after STOP_GRACE seconds
#   cluster.sh status [base-dir]    nodes, pids, brokers, quorum; exit 0 only if all nodes run
#   cluster.sh kill N [base-dir]    SIGKILL node N (failure drill); `start` brings it back
#
# base-dir (default: deploy/local-cluster/work, or $REETIK_CLUSTER_DIR) holds:
#   classpath.txt, mvn.log  `mvn -f deploy/local-cluster/pom.xml dependency:build-classpath` output (rebuilt when a pom changes)
#   cluster.env             cluster id, ports, controller directory ids: fixed at the first start
#   node-N/server.properties, node-N/data/, node-N/server.log, node-N/format.log, node-N/kafka.pid
#
# Environment: KAFKA_HEAP_OPTS (-Xms64m -Xmx384m), KAFKA_JVM_OPTS (G1 options), MVN_ARGS (e.g. -o),
# START_TIMEOUT (180 s), STOP_GRACE (30 s), JAVA (java on PATH or $JAVA_HOME/bin/java).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
NODES=3

KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms64m -Xmx384m}
KAFKA_JVM_OPTS=${KAFKA_JVM_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true}
START_TIMEOUT=${START_TIMEOUT:-180}
STOP_GRACE=${STOP_GRACE:-30}
if [[ -z ${JAVA:-} ]]; then
  if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then JAVA=$JAVA_HOME/bin/java; else JAVA=java; fi
fi

log() { echo "[cluster] $*" >&2; }
die() { echo "[cluster] ERROR: $*" >&2; exit 1; }

usage() {
  sed -n '5,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 64
}

# ------------------------------------------------------------------------------------- arguments
CMD=${1:-}
[[ -n $CMD ]] || usage
shift
KILL_NODE=
if [[ $CMD == kill ]]; then
  KILL_NODE=${1:-}
  [[ $KILL_NODE =~ ^[1-9][0-9]*$ ]] && ((KILL_NODE <= NODES)) || die "kill needs a node number 1..$NODES"
  shift
fi
BASE=${1:-${REETIK_CLUSTER_DIR:-$SCRIPT_DIR/work}}
[[ $CMD == start ]] && mkdir -p "$BASE"
if [[ ! -d $BASE ]]; then
  log "no cluster in $BASE"
  [[ $CMD == stop ]] && exit 0
  exit 1
fi
BASE=$(cd "$BASE" && pwd)

node_dir() { echo "$BASE/node-$1"; }
pid_file() { echo "$BASE/node-$1/kafka.pid"; }

# The pid of node N if that process is alive AND is our kafka.Kafka for that node (pids get reused).
node_pid() {
  local f pid args
  f=$(pid_file "$1")
  [[ -s $f ]] || return 1
  pid=$(<"$f")
  kill -0 "$pid" 2>/dev/null || return 1
  args=$(ps -ww -p "$pid" -o args= 2>/dev/null) || return 1
  [[ $args == *kafka.Kafka* && $args == *"$(node_dir "$1")/server.properties"* ]] || return 1
  echo "$pid"
}

# ------------------------------------------------------------------------------------- classpath
build_classpath() {
  command -v "$JAVA" >/dev/null || die "no java ($JAVA); set JAVA or JAVA_HOME"
  local cp_file=$BASE/classpath.txt
  if [[ ! -s $cp_file || $SCRIPT_DIR/pom.xml -nt $cp_file || $ROOT/pom.xml -nt $cp_file ]]; then
    command -v mvn >/dev/null || die "mvn not found (needed once to resolve kafka_2.13 and its dependencies)"
    log "resolving the classpath of kafka.Kafka: mvn -f deploy/local-cluster/pom.xml dependency:build-classpath"
    (cd "$ROOT" && mvn -B -q -ntp -Dstyle.color=never ${MVN_ARGS:-} -f "$SCRIPT_DIR/pom.xml" dependency:build-classpath \
        -Dmdep.outputFile="$cp_file.tmp") >"$BASE/mvn.log" 2>&1 \
      || { cat "$BASE/mvn.log" >&2; die "Maven could not build the classpath (see above, $BASE/mvn.log)"; }
    mv "$cp_file.tmp" "$cp_file"
  fi
  CP=$(<"$cp_file")
  [[ $CP == *kafka_2.13* ]] || die "kafka_2.13 is not in $cp_file"
}

cluster_tool() {
  "$JAVA" -Dlogback.configurationFile="$SCRIPT_DIR/logback-tool.xml" -cp "$CP" "$SCRIPT_DIR/ClusterTool.java" "$@"
}

# ------------------------------------------------------------------------- identity and ports
load_env() {
  local env_file=$BASE/cluster.env
  if [[ ! -s $env_file ]]; then
    [[ -n ${CP:-} ]] || build_classpath
    cluster_tool new-env "$NODES" >"$env_file.tmp" || die "could not choose ports and ids"
    mv "$env_file.tmp" "$env_file"
    log "new cluster $(grep CLUSTER_ID "$env_file") in $BASE"
  fi
  # shellcheck disable=SC1090
  source "$env_file"
  BROKER_PORT=($BROKER_PORTS)
  CONTROLLER_PORT=($CONTROLLER_PORTS)
  DIRECTORY_ID=($DIRECTORY_IDS)
  BOOTSTRAP=
  CONTROLLER_BOOTSTRAP=
  INITIAL_CONTROLLERS=
  local i
  for ((i = 0; i < NODES; i++)); do
    BOOTSTRAP+="${BOOTSTRAP:+,}127.0.0.1:${BROKER_PORT[i]}"
    CONTROLLER_BOOTSTRAP+="${CONTROLLER_BOOTSTRAP:+,}127.0.0.1:${CONTROLLER_PORT[i]}"
    INITIAL_CONTROLLERS+="${INITIAL_CONTROLLERS:+,}$((i + 1))@127.0.0.1:${CONTROLLER_PORT[i]}:${DIRECTORY_ID[i]}"
  done
}

write_properties() {
  local n=$1 dir
  dir=$(node_dir "$n")
  mkdir -p "$dir/data"
  sed -e "s|@NODE_ID@|$n|g" \
      -e "s|@BROKER_PORT@|${BROKER_PORT[n - 1]}|g" \
      -e "s|@CONTROLLER_PORT@|${CONTROLLER_PORT[n - 1]}|g" \
      -e "s|@CONTROLLER_BOOTSTRAP@|$CONTROLLER_BOOTSTRAP|g" \
      -e "s|@DATA_DIR@|$dir/data|g" \
      "$SCRIPT_DIR/server.properties.template" >"$dir/server.properties"
}

# kafka-storage format, once per node (meta.properties present = formatted), all nodes in parallel.
format_nodes() {
  local n pids=() nodes=()
  for ((n = 1; n <= NODES; n++)); do
    [[ -f $(node_dir "$n")/data/meta.properties ]] && continue
    "$JAVA" -Xmx128m -XX:TieredStopAtLevel=1 -Dlogback.configurationFile="$SCRIPT_DIR/logback-tool.xml" \
      -cp "$CP" kafka.tools.StorageTool format \
      --config "$(node_dir "$n")/server.properties" --cluster-id "$CLUSTER_ID" \
      --initial-controllers "$INITIAL_CONTROLLERS" --ignore-formatted \
      >"$(node_dir "$n")/format.log" 2>&1 &
    pids+=($!)
    nodes+=("$n")
  done
  ((${#pids[@]} > 0)) || return 0
  log "formatting node(s) ${nodes[*]} (cluster id $CLUSTER_ID)"
  local i
  for i in "${!pids[@]}"; do
    wait "${pids[i]}" || die "format of node ${nodes[i]} failed: $(tail -5 "$(node_dir "${nodes[i]}")/format.log")"
  done
}

launch_node() {
  local n=$1 dir
  dir=$(node_dir "$n")
  echo "=== $(date -u +%FT%TZ) cluster.sh starting node $n" >>"$dir/server.log"
  # shellcheck disable=SC2086
  nohup "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_OPTS \
    -Dlogback.configurationFile="$SCRIPT_DIR/logback-node.xml" \
    -cp "$CP" kafka.Kafka "$dir/server.properties" \
    >>"$dir/server.log" 2>&1 </dev/null &
  echo $! >"$(pid_file "$n")"
  log "node $n: pid $!, broker 127.0.0.1:${BROKER_PORT[n - 1]}, controller 127.0.0.1:${CONTROLLER_PORT[n - 1]}, log $dir/server.log"
}

# ---------------------------------------------------------------------------------- commands
start() {
  build_classpath
  load_env
  local n started=0 pids=()
  for ((n = 1; n <= NODES; n++)); do
    node_pid "$n" >/dev/null || write_properties "$n"
  done
  format_nodes
  local t0=$SECONDS
  for ((n = 1; n <= NODES; n++)); do
    if node_pid "$n" >/dev/null; then
      log "node $n already running (pid $(node_pid "$n"))"
    else
      launch_node "$n"
      started=$((started + 1))
    fi
    pids+=($(<"$(pid_file "$n")"))
  done
  log "waiting for $NODES brokers and the controller quorum at $BOOTSTRAP (up to ${START_TIMEOUT} s)"
  if ! cluster_tool await "$BOOTSTRAP" "$NODES" "$START_TIMEOUT" "${pids[@]}"; then
    for ((n = 1; n <= NODES; n++)); do
      log "--- tail of node-$n/server.log:"
      tail -n 15 "$(node_dir "$n")/server.log" >&2 || true
    done
    die "the cluster did not come up; nodes still running are left as they are ('$0 stop $BASE')"
  fi
  log "cluster ready in $((SECONDS - t0)) s ($started node(s) started)"
  echo "$BOOTSTRAP"
}

stop() {
  local n pid running=()
  for ((n = 1; n <= NODES; n++)); do
    if pid=$(node_pid "$n"); then
      kill -TERM "$pid" 2>/dev/null || true
      running+=("$n:$pid")
    fi
  done
  if ((${#running[@]} == 0)); then
    log "no node running in $BASE"
    rm -f "$BASE"/node-*/kafka.pid
    return 0
  fi
  log "SIGTERM sent to ${running[*]}; waiting up to ${STOP_GRACE} s"
  local deadline=$((SECONDS + STOP_GRACE)) alive entry
  while :; do
    alive=()
    for entry in "${running[@]}"; do
      kill -0 "${entry#*:}" 2>/dev/null && alive+=("$entry")
    done
    ((${#alive[@]} == 0)) && break
    if ((SECONDS >= deadline)); then
      log "still alive after ${STOP_GRACE} s, SIGKILL: ${alive[*]}"
      for entry in "${alive[@]}"; do kill -KILL "${entry#*:}" 2>/dev/null || true; done
      sleep 1
      break
    fi
    sleep 0.5
  done
  rm -f "$BASE"/node-*/kafka.pid
  log "stopped"
}

status() {
  [[ -s $BASE/cluster.env ]] || { log "no cluster in $BASE (never started)"; return 1; }
  load_env
  local n pid up=0
  for ((n = 1; n <= NODES; n++)); do
    if pid=$(node_pid "$n"); then
      echo "node $n: running, pid $pid, broker 127.0.0.1:${BROKER_PORT[n - 1]}, controller 127.0.0.1:${CONTROLLER_PORT[n - 1]}"
      up=$((up + 1))
    else
      echo "node $n: stopped (broker 127.0.0.1:${BROKER_PORT[n - 1]})"
    fi
  done
  echo "bootstrap:   $BOOTSTRAP"
  if ((up > 0)); then
    build_classpath
    cluster_tool describe "$BOOTSTRAP" || return 1
  fi
  ((up == NODES))
}

kill_node() {
  load_env
  local pid
  pid=$(node_pid "$KILL_NODE") || die "node $KILL_NODE is not running"
  kill -KILL "$pid"
  log "node $KILL_NODE (pid $pid) killed with SIGKILL; '$0 start $BASE' restarts it"
}

case $CMD in
  start) start ;;
  stop) stop ;;
  status) status ;;
  kill) kill_node ;;
  *) usage ;;
esac
