--------------------------- MODULE MCPersistenceLog_WriteObjectPost ---------------------------
(***************************************************************************)
(* Bounded model of Persistence for the log and the on-the-fly checkpoint: *)
(* a chain of three objects (a frame, its page table, its address space;  *)
(* the address space is created after boot),                              *)
(* a 2-slot log and 3 LSNs, so two records can wait in the buffer at once  *)
(* and operations go on while a checkpoint is being written; 1 crash.     *)
(* MCPersistence keeps every object kind and 2 crashes.                   *)
(***************************************************************************)
EXTENDS PersistencePost

CONSTANTS fr, ptab, as

MCObjects == {fr, ptab, as}

MCBootObjects == {fr, ptab}

MCKind == [o \in MCObjects |-> CASE o = fr -> "frame" [] o = ptab -> "pageTable" [] OTHER -> "addressSpace"]

MCDeps == [o \in MCObjects |-> CASE o = ptab -> {fr} [] o = as -> {ptab} [] OTHER -> {}]
=============================================================================
