#!/bin/sh
# Starts kefu-relay (java -jar kefu-relay.jar beside this script) with its AppCDS archive, kefu-relay.jsa beside
# the jar: the relay is ready in about half the time with it (docs/operations.md). Java 17 accepts an archive only
# for the jar and lib/ at the very paths and file times it was made from, and only from the very JDK build that
# made it, so an archive that does not fit (the build's, after a copy elsewhere; an older one, after an upgrade of
# the relay or of the JDK) is replaced: this run writes a new one as it stops, and every later start uses it. JVM options: jvm.options beside the jar (when there), then JAVA_OPTS, then
# the script's arguments, all before -jar (e.g. -Dkefu.http.port=9090); of an option given twice the last wins.
dir=$(cd "$(dirname "$0")" && pwd)
jar="$dir/kefu-relay.jar"
jsa="$dir/kefu-relay.jsa"
# what the archive was made for: a JVM's own check (-Xshare:on -version) would cost a JVM start (~0.25 s)
made_for="$jsa.dir"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# the JDK: its folder and its release file's build (a JVM refuses another build's archive, a JDK update's too, and
# says so only in a warning at every start, so an archive kept after one would never be used again).
# CdsTraining writes the same two lines for the build's archive.
jdk=$(readlink -f "$(command -v "$java")" 2>/dev/null)
jdk=${jdk%/bin/java}
fits="$dir
$jdk $(sed -n 's/^JAVA_RUNTIME_VERSION=//p' "$jdk/release" 2>/dev/null)"
if [ -f "$jsa" ] && [ "$(cat "$made_for" 2>/dev/null)" = "$fits" ] \
        && [ -z "$(find "$jar" "$dir/lib" -newer "$jsa" 2>/dev/null | head -n 1)" ]; then
    # should it not fit after all, the JVM says so in one warning line and starts without it
    cds="-XX:SharedArchiveFile=$jsa"
else
    rm -f "$jsa"
    printf '%s\n' "$fits" > "$made_for"
    cds="-XX:ArchiveClassesAtExit=$jsa -Xlog:cds=error -Xlog:cds+dynamic=error"
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
set -- $JAVA_OPTS "$@"
if [ -f "$dir/jvm.options" ]; then
    set -- "@$dir/jvm.options" "$@"
fi
# shellcheck disable=SC2086 # cds is a list of options
exec "$java" $cds "$@" -jar "$jar"
