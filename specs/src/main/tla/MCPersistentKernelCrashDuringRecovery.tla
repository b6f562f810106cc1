-------------------- MODULE MCPersistentKernelCrashDuringRecovery --------------------
(* Witness: a crash in the middle of a recovery (restore or replay). *)
(* TLC must report NoCrashDuringRecovery violated; the trace is the witness. *)
EXTENDS MCPersistentKernel

NoCrashDuringRecovery == [][~(phase \in {"restore", "replay"} /\ phase' = "down")]_allVars
=============================================================================
