-------------------- MODULE MCPersistentKernelCrashDuringRecovery --------------------
(* Witness: a crash in the middle of a replay. *)
(* TLC must report NoCrashDuringRecovery violated; the trace is the witness. *)
EXTENDS MCPersistentKernel

NoCrashDuringRecovery == [][~(phase = "replay" /\ rp < Len(log) /\ phase' = "down")]_allVars
=============================================================================
