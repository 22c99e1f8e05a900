# robotid: PGXS build.  `make`, `make install`, `make installcheck` as usual;
# `make unit` runs the C unit tests, `make prove` the pgTAP suite (needs a
# running server, as installcheck does), `make fuzz` the libFuzzer target.

EXTENSION = robotid
MODULE_big = robotid
# by layer: pure C (*_core), the types' glue (robot_*), the triggers' glue
# (guard_*)
OBJS = src/rid_core.o src/lifecycle_core.o \
	src/robot_id.o src/robot_id_sort.o src/robot_id_prefix.o src/robot_id_selfuncs.o \
	src/robot_state.o \
	src/guard_common.o src/guard_lifecycle.o src/guard_market.o
DATA = extension/robotid--1.0.sql extension/robotid--1.0--1.1.sql extension/robotid--1.1--1.2.sql \
	extension/robotid--1.2--1.3.sql extension/robotid--1.3--1.4.sql
DATA_built = extension/robotid--1.4--1.5.sql
PGFILEDESC = "robotid - robot identity codes"

REGRESS = robot_id_io robot_id_ops robot_id_index robot_id_estimates lifecycle market_guard upgrade registry
REGRESS += registry_scan
REGRESS += registry_issue
REGRESS += registry_defects
REGRESS += registry_custody
# tests of what a newer server adds: soft input errors (16), COPY's
# ON_ERROR (17)
REGRESS_V16 = robot_id_soft_errors
REGRESS_V17 = robot_id_copy_on_error
REGRESS_OPTS = --load-extension=robotid
ISOLATION = market_race refurbish_race move_race registry_race guard_privilege guard_partition_race
ISOLATION += registry_register_recall_race registry_register_close_race registry_move_race \
	registry_move_recall_race registry_move_close_race registry_remedy_close_race
ISOLATION += registry_issue_race registry_catalogue_race
ISOLATION += registry_defect_race
ISOLATION += custody_handover_sale_race custody_receive_race custody_rebuild_recall_race
ISOLATION_OPTS = --load-extension=robotid

PG_CPPFLAGS = -I$(srcdir)/src
EXTRA_CLEAN = build extension/robotid--1.4--1.5.sql extension/robotid--1.4--1.5.sql.tmp

PG_CONFIG ?= pg_config
PG_MAJOR_VERSION := $(shell $(PG_CONFIG) --version | sed 's/^[^0-9]*\([0-9]*\).*/\1/')
ifeq ($(shell test $(PG_MAJOR_VERSION) -ge 16 && echo yes),yes)
REGRESS += $(REGRESS_V16)
endif
ifeq ($(shell test $(PG_MAJOR_VERSION) -ge 17 && echo yes),yes)
REGRESS += $(REGRESS_V17)
endif

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# every object depends on every header: editing one never leaves a stale
# object behind
$(OBJS): $(wildcard $(srcdir)/src/*.h)

# the registry's SQL is kept readable in registry/ and wrapped into the
# update script that defines robot_registry_install() and
# robot_registry_upgrade(), one EXECUTE per file.  Data files create and
# fill tables and run at install only (an upgrade changes the tables in
# place with registry/upgrade/A--B.sql); every other numbered file is code,
# run at install and again by every upgrade.
REGISTRY_SQL = $(sort $(wildcard registry/[0-9]*.sql))
REGISTRY_DATA = registry/10_tables.sql registry/12_log_tables.sql registry/15_defect_tables.sql registry/16_custody_tables.sql \
	registry/35_moves.sql \
	registry/66_defect_defaults.sql
REGISTRY_CODE = $(filter-out $(REGISTRY_DATA),$(REGISTRY_SQL))
REGISTRY_STEPS = $(sort $(wildcard registry/upgrade/*--*.sql))
REGISTRY_DEMO = registry/demo/generate_demo.sql

extension/robotid--1.4--1.5.sql: scripts/build_registry.sh registry/install_head.sql registry/install_tail.sql \
		$(REGISTRY_SQL) $(REGISTRY_STEPS) $(REGISTRY_DEMO)
	bash scripts/build_registry.sh registry/install_head.sql registry/install_tail.sql \
		"$(REGISTRY_DATA)" "$(REGISTRY_CODE)" "$(REGISTRY_STEPS)" "$(REGISTRY_DEMO)" > $@.tmp && mv $@.tmp $@

CLANG ?= clang
FUZZ_SECONDS ?= 60

build:
	mkdir -p build

UNIT_CFLAGS = -std=c99 -O2 -g -Wall -Wextra -Werror -I$(srcdir)/src

build/test_rid_core: test/unit/test_rid_core.c test/unit/tap.h src/rid_core.c src/rid_core.h src/rid_abbrev.h | build
	$(CC) $(UNIT_CFLAGS) -o $@ test/unit/test_rid_core.c src/rid_core.c

build/test_lifecycle_core: test/unit/test_lifecycle_core.c test/unit/tap.h src/lifecycle_core.c src/lifecycle_core.h | build
	$(CC) $(UNIT_CFLAGS) -o $@ test/unit/test_lifecycle_core.c src/lifecycle_core.c

UNIT_TESTS = build/test_rid_core build/test_lifecycle_core

.PHONY: unit fuzz prove
unit: $(UNIT_TESTS)
	@status=0; for t in $(UNIT_TESTS); do $$t || status=1; done; exit $$status

build/fuzz_rid: fuzz/fuzz_rid.c src/rid_core.c src/rid_core.h src/rid_abbrev.h | build
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-I$(srcdir)/src -o $@ fuzz/fuzz_rid.c src/rid_core.c

fuzz: build/fuzz_rid
	mkdir -p build/corpus
	build/fuzz_rid -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		build/corpus fuzz/seeds

prove:
	pg_prove --ext .sql -r test/pgtap
