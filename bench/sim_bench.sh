#!/bin/sh
# sim_bench.sh — benchmark: emailcfg-sim with 100,000 generated mailboxes:
# start-up time (load until listening) and rows served per second through
# paging with the client's columns (targets: under 2 s, 20,000 rows/s).
. tests/lib/sim.sh
now_ms() { echo $(($(date +%s%N) / 1000000)); }
sanitized=0
grep -qa __asan_init "$SIM_BIN" && sanitized=1
t0=$(now_ms)
sim_start --data none --generate 100000 --seed 1
t1=$(now_ms)
sim_token
url='mailboxes?$select=name,emailaddress,_regardingobjectid_value,_emailserverprofile_value,incomingemaildeliverymethod,outgoingemaildeliverymethod,actdeliverymethod,incomingemailstatus,outgoingemailstatus,actstatus,emailrouteraccessapproval,statecode,mailboxstatus,modifiedon'
t2=$(now_ms)
rows=$(sim_page_all "$url")
t3=$(now_ms)
expect_eq "rows served" 100000 "$rows"
load=$((t1 - t0))
serve=$((t3 - t2))
[ $serve -gt 0 ] || serve=1
rate=$((rows * 1000 / serve))
echo "sim: generate 100000: start-up ${load} ms, served $rows rows in ${serve} ms = $rate rows/s (sanitized=$sanitized)"
sim_stop || fail "emailcfg-sim did not exit cleanly"
