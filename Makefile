# A thin wrapper: the build is CMake (CMakePresets.json). Every target installs what is
# missing from Debian, configures and builds first, and is quick when nothing changed.
BUILD := build
CLI   := $(BUILD)/bin/mountlab-cli

.PHONY: all setup build run test bench clean

all: build

setup:
	@./scripts/setup-deps.sh

$(BUILD)/build.ninja: CMakeLists.txt CMakePresets.json | setup
	cmake --preset default

build: setup $(BUILD)/build.ninja
	cmake --build $(BUILD)

# The main job: the full walkthrough, headless (the GUI will take over when a display is present).
run: build
	$(CLI) run

test: build
	ctest --test-dir $(BUILD) --output-on-failure

bench: build
	./tests/bench/run-all.sh $(BUILD)

clean:
	rm -rf $(BUILD)
