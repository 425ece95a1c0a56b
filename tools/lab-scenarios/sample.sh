# shellcheck shell=bash
# tools/lab-scenarios/sample.sh -- the scenario that produced catalina-lens's bundled samples/.
#
# This file is NOT a standalone script. It holds one scenario function, scn_sample, for the
# tomcat-lab tool in ../shared/tools/tomcat-lab/lab.sh (relative to this repository's parent
# directory, i.e. /work/shared/tools/tomcat-lab/lab.sh). lab.sh runs scenario "X" by calling
# the function scn_X, and provides every helper used below (prepare, start_node, wait_ready,
# create_sessions, signal_node, stop_node, pause_for, ...); run_scenario() writes truth.json.
#
# How to use it (as root; lab.sh installs tomcat10/curl/jq/iproute2 with apt-get if missing):
#
#   cp -r /work/shared/tools/tomcat-lab /tmp/tomcat-lab-work        # the shared copy is read-only
#   cd /tmp/tomcat-lab-work && chmod -R u+w .
#   # insert this function just before the last line of lab.sh ("main "$@""):
#   { head -n -1 lab.sh; cat /work/main/tools/lab-scenarios/sample.sh; echo 'main "$@"'; } > lab.new \
#     && mv lab.new lab.sh && chmod +x lab.sh
#   ./lab.sh sample          # foreground (or: setsid nohup ./lab.sh sample > lab.log 2>&1 &)
#   ./lab.sh clean           # afterwards: no lab JVMs / netns left behind
#
# Output: ${CORPUS:-/tmp/tomcat-lab/corpus}/sample/{tomcat1,tomcat2,tomcat3}/catalina.out,
# .../sample/truth.json (the script's own clock at every action; nothing read from the logs),
# .../sample/config/ (exact server.xml / logging.properties / setenv.sh). The run takes about
# 1.5-2 minutes on 2 cores. "sample" is not in DEFAULT_SCENARIOS, so "lab.sh" / "lab.sh all" /
# "lab.sh list" ignore it; name it explicitly.
#
# What it does (3 nodes, static membership, OneLineFormatter, stateTransferTimeout=5 s):
#   1. tomcat1 starts alone (no state transfer) and gets 5 sessions;
#   2. tomcat2, then tomcat3 start one after another and each requests session state
#      ("... received in [N] ms"); 3 sessions each on tomcat2 and tomcat3;
#   3. short flap: tomcat2 SIGSTOPped for 4 s, then SIGCONTinued; 2 sessions on tomcat1;
#   4. tomcat3 SIGKILLed; 2 sessions on tomcat1 right away (replication towards the dead member);
#      10 s failure-detection window (survivors log "Received member disappeared");
#   5. tomcat3 restarted: new successful state transfer; 2 sessions on it;
#   6. tomcat3, then tomcat2 stopped gracefully -> only tomcat1 is left in the cluster;
#   7. tomcat1 SIGSTOPped, tomcat2 restarted: tomcat1 is its ONLY possible state provider
#      (with static membership a frozen JVM is still accepted as a member, because the kernel
#      completes its TCP handshakes), so the state request times out after 5 s
#      ("No session state sent at [...] received, timing out after [...] ms.");
#   8. tomcat1 SIGCONTinued, 2 sessions on tomcat2, then tomcat2 and tomcat1 stopped gracefully.
scn_sample() {
  S_NODES=3; S_STATE_TIMEOUT=5
  S_DESC="catalina-lens bundled sample. 3 nodes, static membership, OneLineFormatter, stateTransferTimeout=5 s. tomcat1 starts alone + 5 sessions; tomcat2 then tomcat3 join (state transfer each) + 3 sessions each; short flap: tomcat2 SIGSTOP 4 s / SIGCONT, then 2 sessions on tomcat1; tomcat3 SIGKILLed, 2 sessions on tomcat1 right after the kill, 10 s failure-detection window; tomcat3 restarted (new state transfer) + 2 sessions; tomcat3 and tomcat2 stopped gracefully; tomcat1 SIGSTOPped and tomcat2 restarted while tomcat1 is its only possible state provider (state transfer must time out); tomcat1 SIGCONTinued; 2 sessions on tomcat2; tomcat2 and tomcat1 stopped gracefully."
  prepare
  # 1-2: staggered start, state transfers to the later nodes
  start_node 1; wait_ready 1
  create_sessions 1 5
  start_node 2; wait_ready 2
  start_node 3; wait_ready 3
  create_sessions 2 3
  create_sessions 3 3
  pause_for 2 "let replication settle"
  # 3: short pause/resume flap of tomcat2
  signal_node 2 STOP
  pause_for 4 "tomcat2 paused (flap)"
  signal_node 2 CONT
  create_sessions 1 2
  pause_for 2 "settle after flap"
  # 4: crash of tomcat3
  signal_node 3 KILL
  create_sessions 1 2   # inside the detection window: replication to the dead member
  pause_for 10 "failure detector window"
  # 5: restart of the crashed node, with a new state transfer
  start_node 3; wait_ready 3
  create_sessions 3 2
  pause_for 2 "settle"
  # 6: leave tomcat1 alone in the cluster
  stop_node 3
  stop_node 2
  pause_for 2 "settle"
  # 7: state-transfer timeout: tomcat1 (the only member) frozen while tomcat2 restarts
  signal_node 1 STOP
  start_node 2; wait_ready 2 90
  pause_for 3 "tomcat2 up while tomcat1 still paused"
  signal_node 1 CONT
  pause_for 6 "let tomcat1 catch up"
  # 8: traffic, then graceful shutdown
  create_sessions 2 2
  pause_for 2 "settle"
  stop_all 2 1
}
