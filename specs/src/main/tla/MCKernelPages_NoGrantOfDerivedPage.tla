---------------- MODULE MCKernelPages_NoGrantOfDerivedPage ----------------
\* Witness: a grant of a mapping that was itself derived by a map.
\* The model of MCKernelPages, checking only that this
\* never happens; the manifest expects NoGrantOfDerivedPage violated.
EXTENDS MCKernelPages
=============================================================================
