# sim.mk — how the emulator is built; included by the Makefile.
# emailcfg-sim shares no code with core/ (docs/testing.md).
SIM_SRC  := $(wildcard sim/*.c)
SIM_OBJ  := $(SIM_SRC:%.c=$(BUILD)/%.o)
# krb5-gssapi: negotiate.c checks Kerberos tickets (auth = windows).
SIM_LIBS := $(shell pkg-config --libs libmicrohttpd json-c krb5-gssapi) -lpthread -lm
# jget: the JSON extractor the shell tests use (tests/lib/sim.sh exports it as $JGET).
SIM_JGET := $(BUILD)/tests/jget
SIM_TEST_DEPS := emailcfg-sim $(SIM_JGET)

emailcfg-sim: $(SIM_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $(SIM_OBJ) $(SIM_LIBS)

$(SIM_JGET): sim/tools/jget.c $(BUILD)/flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -o $@ $< $(SIM_LIBS)

.PHONY: sim-tools
sim-tools: $(SIM_TEST_DEPS)
