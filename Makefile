# carbonbudget: plain PGXS build.
#   make && make install          build and install into the server found by pg_config
#   make installcheck             pg_regress + pgTAP tests against a running server
#   make dist                     carbonbudget-VERSION.tar.gz of the committed tree
# Tests read their reference data from test/data (see test/data/README.md).

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
# The library knows its version (carbonbudget_version()), so it cannot
# silently disagree with the SQL of the control file's default_version.
PG_CPPFLAGS += -DCB_EXTVERSION='"$(EXTVERSION)"'
PG_CFLAGS   = -Wall -Wextra
SHLIB_LINK  = $(shell geos-config --clibs) -llapacke -llapack -lblas -lm

TESTS       = $(sort $(wildcard test/sql/*.sql))
REGRESS     = $(patsubst test/sql/%.sql,%,$(TESTS))
REGRESS_OPTS = --inputdir=test --outputdir=test

EXTRA_CLEAN = $(DATA_built) test/results test/regression.diffs test/regression.out

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(DATA_built): $(INSTALL_PARTS) $(EXTENSION).control
	cat $(INSTALL_PARTS) > $@

# the dump and restore test runs pg_dump, createdb and pg_restore of the server's installation
installcheck: export CB_PG_BIN := $(shell $(PG_CONFIG) --bindir)

# Every object depends on the project headers (PGXS tracks no header dependencies).
$(OBJS): $(wildcard include/*.h src/kernels/*.h)
src/version.o: $(EXTENSION).control

# Release tarball of the committed tree: $(DISTNAME).tar.gz, everything under
# $(DISTNAME)/; it builds and tests (make installcheck) as a clone does.
DISTNAME = $(EXTENSION)-$(EXTVERSION)
.PHONY: dist
dist:
	@git diff --quiet HEAD || echo "warning: uncommitted changes are not in $(DISTNAME).tar.gz" >&2
	git archive --format=tar.gz --prefix=$(DISTNAME)/ -o $(DISTNAME).tar.gz HEAD
