#!/bin/sh
# Starts kefu-relay (java -jar kefu-relay.jar beside this script) with its AppCDS archive, kefu-relay.jsa: the relay
# is ready in about half the time with it (docs/operations.md). Java 17 accepts an archive only for the jar and lib/
# at the very paths and file times it was made from, and only from the very JDK build that made it, so an archive
# that does not fit (the build's, after a copy elsewhere; an older one, after an upgrade of the relay or of the JDK)
# is replaced: this run writes a new one as it stops, and every later start uses it. The archive lives beside the
# jar, or in the working folder when this user cannot write beside the jar (an install owned by root, run as a
# service user). JVM options: jvm.options beside the jar (when there), then JAVA_OPTS, then the script's arguments,
# all before -jar (e.g. -Dkefu.http.port=9090); of an option given twice the last wins.
dir=$(cd "$(dirname "$0")" && pwd)
jar="$dir/kefu-relay.jar"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# What an archive was made for, in kefu-relay.jsa.dir beside it (a JVM's own check, -Xshare:on -version, would cost
# a JVM start, ~0.25 s): the jar's folder, then the JDK, its folder and its release file's build (a JVM refuses
# another build's archive, a JDK update's too, and says so only in a warning at every start, so an archive kept
# after one would never be used again).
jdk=$(readlink -f "$(command -v "$java")" 2>/dev/null)
jdk=${jdk%/bin/java}
made_for="$dir
$jdk $(sed -n 's/^JAVA_RUNTIME_VERSION=//p' "$jdk/release" 2>/dev/null)"
# true if the archive $1 was made for this jar, its lib/ as they are and this JDK
fits() {
    [ -f "$1" ] && [ "$(cat "$1.dir" 2>/dev/null)" = "$made_for" ] \
        && [ -z "$(find "$jar" "$dir/lib" -newer "$1" 2>/dev/null | head -n 1)" ]
}
jsa="$dir/kefu-relay.jsa"
# not writable beside the jar: one there that fits is used all the same, else the working folder's
[ -w "$dir" ] || fits "$jsa" || jsa="$PWD/kefu-relay.jsa"
if fits "$jsa"; then
    # should it not fit after all, the JVM says so in one warning line and starts without it
    cds="-XX:SharedArchiveFile=$jsa"
elif rm -f "$jsa" 2>/dev/null && printf '%s\n' "$made_for" 2>/dev/null > "$jsa.dir"; then
    cds="-XX:ArchiveClassesAtExit=$jsa -Xlog:cds=error -Xlog:cds+dynamic=error"
else
    echo "kefu-relay.sh: no class-data archive (neither $dir nor the working folder $PWD is writable): starts" \
        "take about twice as long" >&2
    cds=""
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
set -- $JAVA_OPTS "$@"
if [ -f "$dir/jvm.options" ]; then
    set -- "@$dir/jvm.options" "$@"
fi
# shellcheck disable=SC2086 # cds is a list of options
exec "$java" $cds "$@" -jar "$jar"
