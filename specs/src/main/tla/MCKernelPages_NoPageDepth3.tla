-------------------- MODULE MCKernelPages_NoPageDepth3 --------------------
\* Witness: a mapping derived three times in a row.
\* The model of MCKernelPages, checking only that this
\* never happens; the manifest expects NoPageDepth3 violated.
EXTENDS MCKernelPages
=============================================================================
