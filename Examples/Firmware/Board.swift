// What the firmware needs from its board: one C file per board supplies these
// (boards/arm-startup.c, boards/riscv-startup.c; on the host, host/HostBoard.swift).

/// Writes `count` bytes of text to the console (semihosting or a UART).
@_extern(c, "board_write")
func boardWrite(_ bytes: UnsafePointer<UInt8>, _ count: Int)

/// Instructions retired since an arbitrary start, or 0 where the board cannot
/// count them (the host). Only differences are meaningful.
@_extern(c, "board_instructions")
func boardInstructions() -> UInt64

/// The blob, in flash: `count` is set to its length in bytes.
@_extern(c, "board_blob")
func boardBlob(_ count: UnsafeMutablePointer<Int>) -> UnsafeRawPointer

/// Caller-owned workspace memory (a static, 16-byte-aligned array): `count` is
/// set to its length in bytes.
@_extern(c, "board_workspace")
func boardWorkspace(_ count: UnsafeMutablePointer<Int>) -> UnsafeMutableRawPointer

/// Bytes of the stack never written since reset (a painted stack), or 0 where
/// the board does not paint it.
@_extern(c, "board_stack_untouched")
func boardStackUntouched() -> Int

/// Repaints the stack below the caller's frame.
@_extern(c, "board_stack_mark")
func boardStackMark()

/// How far below the mark the calls since `boardStackMark()` went, in bytes
/// (the mark is inside `board_stack_mark`'s own small frame, so this slightly
/// undercounts: by that frame, a few dozen bytes).
@_extern(c, "board_stack_used_since_mark")
func boardStackUsedSinceMark() -> Int

/// How the instruction counter is scaled: instructions per counter tick × 1024
/// (measured at reset on a loop of known length), or 0 on boards that count
/// instructions directly.
@_extern(c, "board_instructions_per_tick_x1024")
func boardInstructionsPerTick() -> UInt32
