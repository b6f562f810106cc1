#!/usr/bin/env bash
# Compiles every SRC/*.c, with the startup and library in SRC/lib, into a static ELF32 executable OUT/NAME.elf
# whose .text starts at TEXT. Needs only the machine's gcc (gcc -m32 with -nostdlib needs no multilib packages).
set -euo pipefail
src="$1"; out="$2"; text="$3"
command -v gcc >/dev/null || { echo "userland: gcc not found on PATH (apt-get install -y gcc)" >&2; exit 2; }
mkdir -p "$out"
flags=(-m32 -march=i686 -O2 -ffreestanding -nostdlib -static -fno-pic -no-pie -fno-stack-protector
       -fno-asynchronous-unwind-tables -fno-builtin -Wall -Werror -I "$src/include"
       -Wl,-Ttext="$text" -Wl,--build-id=none -Wl,-z,noexecstack -Wl,-e,_start)
lib=()
for f in "$src"/lib/*.S "$src"/lib/*.c; do
  [ -e "$f" ] && lib+=("$f")
done
count=0
for c in "$src"/*.c; do
  [ -e "$c" ] || continue
  name="$(basename "$c" .c)"
  target="$out/$name.elf"
  # rebuild only when the program, a library file or a header is newer than the image
  if [ -f "$target" ] && [ -z "$(find "$c" "$src/lib" "$src/include" -newer "$target" -type f -print -quit)" ]; then
    continue
  fi
  gcc "${flags[@]}" -o "$target" "${lib[@]}" "$c"
  count=$((count + 1))
done
echo "userland: $count image(s) built in $out"
