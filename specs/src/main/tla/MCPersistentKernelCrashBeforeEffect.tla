-------------------- MODULE MCPersistentKernelCrashBeforeEffect --------------------
(* Witness: a crash between a record and its effect. *)
(* TLC must report NoCrashBeforeEffect violated; the trace is the witness. *)
EXTENDS MCPersistentKernel

NoCrashBeforeEffect == [][~(pending /\ phase' = "down")]_allVars
=============================================================================
