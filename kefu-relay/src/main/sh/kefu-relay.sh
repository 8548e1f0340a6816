#!/bin/sh
# Starts kefu-relay (java -jar kefu-relay.jar beside this script) with its AppCDS archive, kefu-relay.jsa beside
# the jar: the relay is ready in about half the time with it (README, Performance). Java 17 accepts an archive only for
# the jar and lib/ at the very paths and file times it was made from, so an archive that does not fit (the build's,
# after a copy elsewhere; an older one, after an upgrade) is replaced: this run writes a new one as it stops, and
# every later start uses it. JVM options in JAVA_OPTS; the script's arguments go to java before -jar
# (e.g. -Dkefu.http.port=9090).
dir=$(cd "$(dirname "$0")" && pwd)
jar="$dir/kefu-relay.jar"
jsa="$dir/kefu-relay.jsa"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if [ -f "$jsa" ] && "$java" -Xshare:on -XX:SharedArchiveFile="$jsa" -cp "$jar" -version >/dev/null 2>&1; then
    cds="-XX:SharedArchiveFile=$jsa"
else
    rm -f "$jsa"
    cds="-XX:ArchiveClassesAtExit=$jsa -Xlog:cds=error -Xlog:cds+dynamic=error"
fi
# shellcheck disable=SC2086 # JAVA_OPTS and cds are lists of options
exec "$java" $cds $JAVA_OPTS "$@" -jar "$jar"
