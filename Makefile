# A thin wrapper: the build is CMake (CMakePresets.json). Every target installs what is
# missing from Debian, configures and builds first, and is quick when nothing changed.
BUILD := build
CLI   := $(BUILD)/bin/mountlab-cli

.PHONY: all setup build run test bench format clean

all: build

setup:
	@./scripts/setup-deps.sh

$(BUILD)/build.ninja: CMakeLists.txt CMakePresets.json | setup
	cmake --preset default

build: setup $(BUILD)/build.ninja
	cmake --build $(BUILD)

# The main job: the walkthrough; the desktop GUI when a display is present, headless otherwise.
run: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] && [ -x $(BUILD)/bin/mountlab ]; then \
	  $(BUILD)/bin/mountlab; \
	else \
	  $(CLI) run; \
	fi

test: build
	ctest --test-dir $(BUILD) --output-on-failure

bench: build
	./tests/bench/run-all.sh $(BUILD)

# Formats every tracked C and C++ file as .clang-format says (the lint_format test checks it).
format: setup
	git ls-files -- '*.c' '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD)
