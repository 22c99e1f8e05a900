# Debian roots for the version matrix (`test.sh --pg N`) and the fresh
# machine test (`test.sh --fresh`): made by debootstrap from the mirror the
# host's apt uses, entered with chroot.  /proc and a private /dev/shm are
# mounted only while a command runs inside, and every mount, and any
# process still running in the root, is gone when the script exits.
# Source it after lib.sh; needs root.

ROBOTID_ROOTS=${ROBOTID_ROOTS:-$(dirname "$ROBOTID_ROOT")/roots}
ROOT_MOUNTS=()
ROOT_ENTERED=""

# The Debian release that ships each PostgreSQL major.
suite_for_major() {
	case "$1" in
	15) echo bookworm ;;
	17) echo trixie ;;
	18) echo sid ;;
	*) echo "robotid: no Debian release to test PostgreSQL $1 in (15, 17, 18)" >&2; return 1 ;;
	esac
}

# The first archive whose path ends in /$1 (debian, debian-security) named
# in the host's apt sources, one-line or deb822 style, or $2.
host_archive() {
	local uri
	uri=$({ cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null || true; } |
		awk -v path="$1" '$1 == "deb" || $1 == "URIs:" {
			for (i = 2; i <= NF; i++) if ($i ~ "^https?://.*/" path "/?$") { print $i; exit } }')
	echo "${uri:-$2}"
}
host_mirror() { host_archive debian http://deb.debian.org/debian; }

ensure_debootstrap() {
	command -v debootstrap >/dev/null && return
	log "installing debootstrap"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		debootstrap >/dev/null
}

# A minbase root of SUITE in DIR.  Built beside DIR and renamed when
# complete, so an interrupted debootstrap never passes for a root.
# policy-rc.d keeps package scripts from starting services (the postgresql
# package would start a cluster no one stops); that is all it changes.
root_create() {
	local suite=$1 dir=$2
	ensure_debootstrap
	log "debootstrap --variant=minbase $suite $dir ($(host_mirror))"
	rm -rf "$dir.tmp"
	mkdir -p "$(dirname "$dir")"
	if ! debootstrap --variant=minbase "$suite" "$dir.tmp" "$(host_mirror)" \
		> "$dir.log" 2>&1; then
		tail -20 "$dir.log"
		rm -rf "$dir.tmp"
		return 1
	fi
	printf '#!/bin/sh\nexit 101\n' > "$dir.tmp/usr/sbin/policy-rc.d"
	chmod 755 "$dir.tmp/usr/sbin/policy-rc.d"
	if [ "$suite" = sid ]; then
		# sid's Release file expires after a week, and a mirror that is a
		# snapshot keeps serving the expired one
		echo 'Acquire::Check-Valid-Until "false";' > "$dir.tmp/etc/apt/apt.conf.d/90robotid-sid"
	else
		# a release's point updates and security fixes, as on an installed
		# Debian (and on this host)
		printf 'deb %s %s-updates main\ndeb %s %s-security main\n' \
			"$(host_mirror)" "$suite" \
			"$(host_archive debian-security http://deb.debian.org/debian-security)" "$suite" \
			>> "$dir.tmp/etc/apt/sources.list"
	fi
	mv "$dir.tmp" "$dir"
}

# Serialise runs that share a root: a second one waits for the first.
root_lock() {
	mkdir -p "$ROBOTID_ROOTS"
	exec 9> "$ROBOTID_ROOTS/$1.lock"
	flock 9
}

root_leave() {
	local i pid
	[ -n "$ROOT_ENTERED" ] || return 0
	# a process still inside the root (a server a failed test left) would
	# hold its mounts: end it by its id
	for pid in $(ls /proc | grep -E '^[0-9]+$'); do
		[ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$ROOT_ENTERED" ] &&
			kill -9 "$pid" 2>/dev/null
	done
	for ((i = ${#ROOT_MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${ROOT_MOUNTS[i]}" || umount -l "${ROOT_MOUNTS[i]}"
	done
	ROOT_MOUNTS=()
	ROOT_ENTERED=""
}

# Run a command as root inside DIR with a clean environment.
root_run() {
	local dir=$1
	shift
	ROOT_ENTERED=$(readlink -f "$dir")
	on_exit root_leave
	cp /etc/resolv.conf "$dir/etc/resolv.conf"
	mount -t proc proc "$dir/proc"
	ROOT_MOUNTS+=("$dir/proc")
	mount -t tmpfs -o mode=1777,size=512m shm "$dir/dev/shm"
	ROOT_MOUNTS+=("$dir/dev/shm")
	# a private instance: apt logs through a pseudo-terminal
	mount -t devpts -o newinstance,ptmxmode=0666 devpts "$dir/dev/pts"
	ROOT_MOUNTS+=("$dir/dev/pts")
	# a throwaway root keeps the packages it downloads for the next one: the
	# same apt-get install, without fetching the same files again
	if [ -n "${ROOT_APT_CACHE:-}" ]; then
		mkdir -p "$ROOT_APT_CACHE"
		mount --bind "$ROOT_APT_CACHE" "$dir/var/cache/apt/archives"
		ROOT_MOUNTS+=("$dir/var/cache/apt/archives")
	fi
	# the network as the host reaches it, as resolv.conf gives its names: a
	# proxy's certificate authority in the host's trust store reaches node
	# (npm, for the driver tests) through NODE_EXTRA_CA_CERTS
	local trust=()
	if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
		cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/robotid-host-ca.pem"
		trust=(NODE_EXTRA_CA_CERTS=/etc/robotid-host-ca.pem)
	fi
	local status=0
	chroot "$dir" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		"${trust[@]}" "$@" || status=$?
	root_leave
	return "$status"
}

# Copy the working tree (tracked files and new ones git does not ignore,
# as they are now, without build products) to DIR.
copy_tree() {
	rm -rf "$1"
	mkdir -p "$1"
	git -C "$ROBOTID_ROOT" ls-files -z --cached --others --exclude-standard |
		tar -C "$ROBOTID_ROOT" --null -T - -c | tar -C "$1" -x
}

# The last "robotid: N passed, N failed" line of a log, or none.
summary_of() {
	sed -n 's/^robotid: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$1" | tail -1
}

# test.sh --pg N: the whole suite on PostgreSQL N, in a root kept in
# $ROBOTID_ROOTS/<suite> and reused; the packages it installs stay there.
test_in_root() {
	local major=$1 suite dir dump from status=0 line p f
	suite=$(suite_for_major "$major") || return 2
	dir=$ROBOTID_ROOTS/$suite
	root_lock "$suite"
	[ -d "$dir" ] || root_create "$suite" "$dir"
	log "PostgreSQL $major in $dir"
	copy_tree "$dir/root/robotid"
	rm -rf "$dir/root/older-dumps"
	mkdir -p "$dir/root/older-dumps"
	for dump in "$ROBOTID_ROOT"/build/registry-*.dump; do
		[ -f "$dump" ] || continue
		from=$(basename "$dump" .dump)
		from=${from#registry-}
		[ "$from" -lt "$major" ] && cp "$dump" "${dump%.dump}.digests" "$dir/root/older-dumps/"
	done
	mkdir -p "$ROBOTID_ROOT/build"
	root_run "$dir" PG_MAJOR="$major" ROBOTID_DUMPS=/root/older-dumps \
		ROBOTID_MOVE_FROM="${ROBOTID_MOVE_FROM:-}" FUZZ_SECONDS="${FUZZ_SECONDS:-20}" \
		bash -c 'cd /root/robotid && bash scripts/test.sh' \
		> >(tee "$ROBOTID_ROOT/build/pg$major.out") 2>&1 || status=$?
	wait $! || true
	# this major's dump, for a newer one to restore
	cp "$dir/root/robotid/build/registry-$major".* "$ROBOTID_ROOT/build/" 2>/dev/null || true
	line=$(summary_of "$ROBOTID_ROOT/build/pg$major.out")
	[ -n "$line" ] || line="0 1"
	p=${line% *}; f=${line#* }
	[ "$status" -eq 0 ] || [ "$f" -gt 0 ] || f=1

	if [ -z "${ROBOTID_SKIP_DEB:-}" ]; then
		test_deb "$major" "$suite" "$dir" > >(tee "$ROBOTID_ROOT/build/deb-$major.tap") 2>&1 || true
		wait $! || true
		line=$(sed -n 's/^# \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' \
			"$ROBOTID_ROOT/build/deb-$major.tap" | tail -1)
		[ -n "$line" ] || line="0 1"
		p=$((p + ${line% *})); f=$((f + ${line#* }))
	fi
	echo
	echo "robotid: $p passed, $f failed"
	[ "$f" -eq 0 ]
}

# Build postgresql-MAJOR-robotid with dpkg-buildpackage in the matrix root
# DIR of SUITE, install the .deb into a new root of SUITE, and run the
# regression suite there against the installed package
# (debian/tests/installcheck, that is `pg_buildext installcheck`).  Prints
# TAP and "# N passed, N failed".
test_deb() {
	local major=$1 suite=$2 dir=$3 clean=$ROBOTID_ROOTS/deb-$2 deb status=0 p=0 f=0 counts
	local out=$ROBOTID_ROOT/build/deb-$major
	log "dpkg-buildpackage for PostgreSQL $major in $dir"
	rm -f "$dir"/root/*.deb
	copy_tree "$dir/root/robotid"
	# PG_UPDATECONTROL: debian/control names 15; the root's major replaces it
	if root_run "$dir" bash -c 'export DEBIAN_FRONTEND=noninteractive
		apt-get install -y -qq --no-install-recommends build-essential debhelper \
			postgresql-server-dev-all >/dev/null &&
		cd /root/robotid && PG_UPDATECONTROL=yes DEB_BUILD_OPTIONS=nocheck \
			dpkg-buildpackage -us -uc -b' > "$out-build.out" 2>&1 &&
		deb=$(ls "$dir/root/postgresql-$major-robotid_"*.deb 2>/dev/null) && [ -n "$deb" ]; then
		cp "$deb" "$ROBOTID_ROOT/build/"
		echo "ok - dpkg-buildpackage built $(basename "$deb")"
		p=$((p + 1))
	else
		tail -30 "$out-build.out"
		echo "not ok - dpkg-buildpackage built postgresql-$major-robotid"
		echo "# $p passed, $((f + 1)) failed"
		return 1
	fi

	log "installing $(basename "$deb") into a new $suite root and running pg_buildext installcheck"
	root_unpack "$suite" "$clean"
	copy_tree "$clean/root/robotid"
	cp "$deb" "$clean/root/"
	ROOT_APT_CACHE=$ROBOTID_ROOTS/apt-cache-$suite root_run "$clean" bash -c 'export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq && apt-get install -y -qq --no-install-recommends \
			make postgresql-server-dev-all /root/'"$(basename "$deb")"' >/dev/null &&
		cd /root/robotid && sh debian/tests/installcheck' > "$out-installcheck.out" 2>&1 || status=$?
	grep -E '^(ok|not ok|test) |tests (passed|failed)' "$out-installcheck.out" || true
	[ "$status" -eq 0 ] || tail -60 "$out-installcheck.out"
	counts=$(regress_counts "$out-installcheck.out" "$status")
	p=$((p + ${counts% *})); f=$((f + ${counts#* }))
	echo "# $p passed, $f failed"
	[ "$f" -eq 0 ]
}

# Throwaway roots: unpacked anew from a tarball of the suite's debootstrap
# output (made once), and deleted when the script exits, never while
# anything is still mounted in them.
THROWAWAY_ROOTS=()
remove_throwaway_roots() {
	local dir
	for dir in "${THROWAWAY_ROOTS[@]}"; do
		if grep -q " $dir/" /proc/mounts; then
			echo "robotid: not removing $dir: something is still mounted in it" >&2
		else
			rm -rf "$dir"
		fi
	done
	THROWAWAY_ROOTS=()
}

# A new root of SUITE with nothing installed, in DIR.
root_unpack() {
	local suite=$1 dir=$2 tarball=$ROBOTID_ROOTS/$1-minbase.tar
	if [ ! -f "$tarball" ]; then
		root_create "$suite" "$ROBOTID_ROOTS/$suite-pristine"
		tar -C "$ROBOTID_ROOTS/$suite-pristine" -cf "$tarball.tmp" .
		mv "$tarball.tmp" "$tarball"
		rm -rf "$ROBOTID_ROOTS/$suite-pristine"
	fi
	[ ${#THROWAWAY_ROOTS[@]} -gt 0 ] || on_exit remove_throwaway_roots
	THROWAWAY_ROOTS+=("$dir")
	rm -rf "$dir"
	mkdir -p "$dir"
	tar -C "$dir" -xf "$tarball"
}

# test.sh --fresh: the README's two commands, exactly as written, in a new
# minbase bookworm root with nothing installed, from a clone of HEAD.  The
# debootstrap output is cached as a tarball and unpacked anew each time.
test_fresh() {
	local dir=$ROBOTID_ROOTS/fresh-bookworm head p=0 f=0 line
	head=$(git -C "$ROBOTID_ROOT" rev-parse HEAD)
	root_lock fresh-bookworm
	root_unpack bookworm "$dir"
	git clone -q "$ROBOTID_ROOT" "$dir/root/robotid"
	git -C "$dir/root/robotid" checkout -q --detach "$head"
	git -C "$ROBOTID_ROOT" diff --quiet HEAD ||
		log "note: uncommitted changes are not in the clone of $head"
	mkdir -p "$ROBOTID_ROOT/build"
	export ROOT_APT_CACHE=$ROBOTID_ROOTS/apt-cache-bookworm

	log "fresh root, clone of $head: bash scripts/demo.sh"
	if root_run "$dir" bash -c 'cd /root/robotid && bash scripts/demo.sh' \
		> "$ROBOTID_ROOT/build/fresh-demo.out" 2>&1; then
		tail -3 "$ROBOTID_ROOT/build/fresh-demo.out"
		echo "ok - bash scripts/demo.sh in a fresh root"
		p=1
	else
		tail -40 "$ROBOTID_ROOT/build/fresh-demo.out"
		echo "not ok - bash scripts/demo.sh in a fresh root"
		f=1
	fi

	log "fresh root, clone of $head: bash scripts/test.sh"
	root_run "$dir" bash -c 'cd /root/robotid && bash scripts/test.sh' \
		> >(tee "$ROBOTID_ROOT/build/fresh-test.out") 2>&1 || true
	wait $! || true
	line=$(summary_of "$ROBOTID_ROOT/build/fresh-test.out")
	if [ -n "$line" ]; then
		p=$((p + ${line% *})); f=$((f + ${line#* }))
	else
		f=$((f + 1))
	fi
	echo
	echo "robotid: $p passed, $f failed"
	[ "$f" -eq 0 ]
}
