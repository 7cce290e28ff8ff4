# sim.mk — how the emulator is built; included by the Makefile.
# emailcfg-sim shares no code with core/ (DESIGN section 8).
SIM_SRC  := $(wildcard sim/*.c)
SIM_OBJ  := $(SIM_SRC:%.c=$(BUILD)/%.o)
SIM_LIBS := $(shell pkg-config --libs libmicrohttpd json-c sqlite3) -lpthread -lm
SIM_TEST_DEPS :=

emailcfg-sim: $(SIM_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $(SIM_OBJ) $(SIM_LIBS)
