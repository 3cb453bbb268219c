#ifndef FLEETLINT_CLIBXML2_SHIM_H
#define FLEETLINT_CLIBXML2_SHIM_H
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/parser.h>
#endif
