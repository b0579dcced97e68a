# carbonbudget: plain PGXS build.
#   make && make install          build and install into the server found by pg_config
#   make installcheck             pg_regress + pgTAP tests against a running server
# Tests read shared reference data from $(SHARED) (default ../shared) through test/shared.

EXTENSION  = carbonbudget
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big = carbonbudget
SRCS       = $(sort $(wildcard src/*.c src/kernels/*.c))
OBJS       = $(SRCS:.c=.o)

# The install script of the current version is concatenated from one fragment
# per feature family; install scripts of released versions and the upgrade
# scripts between versions are kept as written.
INSTALL_PARTS = $(sort $(wildcard sql/install/*.sql))
DATA_built    = sql/$(EXTENSION)--$(EXTVERSION).sql
DATA          = $(filter-out $(DATA_built),$(wildcard sql/$(EXTENSION)--*.sql))

PG_CONFIG ?= pg_config
# Server headers as system headers: -Wextra then covers our code, not PostgreSQL's.
PG_CPPFLAGS = -Iinclude $(shell geos-config --cflags) -isystem $(shell $(PG_CONFIG) --includedir-server)
PG_CFLAGS   = -Wall -Wextra
SHLIB_LINK  = $(shell geos-config --clibs) -llapacke -llapack -lblas -lm

TESTS       = $(sort $(wildcard test/sql/*.sql))
REGRESS     = $(patsubst test/sql/%.sql,%,$(TESTS))
REGRESS_OPTS = --inputdir=test --outputdir=test

EXTRA_CLEAN = $(DATA_built) test/results test/regression.diffs test/regression.out test/shared

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(DATA_built): $(INSTALL_PARTS) $(EXTENSION).control
	cat $(INSTALL_PARTS) > $@

SHARED ?= ../shared
.PHONY: test/shared
test/shared:
	ln -sfn $(abspath $(SHARED)) $@

installcheck: test/shared
# the dump and restore test runs pg_dump, createdb and pg_restore of the server's installation
installcheck: export CB_PG_BIN := $(shell $(PG_CONFIG) --bindir)

# Every object depends on the project headers (PGXS tracks no header dependencies).
$(OBJS): $(wildcard include/*.h)
