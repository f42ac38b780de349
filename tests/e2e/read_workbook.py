#!/usr/bin/env python3
"""Prints the first sheet of an .xlsx workbook as the tests read it back.

One line per row, cells separated by tabs; a cell with a fill is followed by
[RRGGBB]. The first line is the sheet's name. Only the standard library: an
.xlsx file is a zip of Office Open XML parts.
"""
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def column_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def main(path):
    with zipfile.ZipFile(path) as book:
        workbook = ET.fromstring(book.read("xl/workbook.xml"))
        print(workbook.find("m:sheets/m:sheet", NS).get("name"))
        strings = []
        if "xl/sharedStrings.xml" in book.namelist():
            shared = ET.fromstring(book.read("xl/sharedStrings.xml"))
            strings = ["".join(t.text or "" for t in si.iter("{%s}t" % NS["m"]))
                       for si in shared.findall("m:si", NS)]
        styles = ET.fromstring(book.read("xl/styles.xml"))
        fills = []
        for fill in styles.findall("m:fills/m:fill", NS):
            color = fill.find("m:patternFill/m:fgColor", NS)
            fills.append(color.get("rgb")[-6:] if color is not None and color.get("rgb") else "")
        xf_fill = [int(xf.get("fillId", "0")) for xf in styles.findall("m:cellXfs/m:xf", NS)]
        sheet = ET.fromstring(book.read("xl/worksheets/sheet1.xml"))
        for row in sheet.findall("m:sheetData/m:row", NS):
            cells = {}
            for cell in row.findall("m:c", NS):
                value = cell.find("m:v", NS)
                text = value.text if value is not None else ""
                if cell.get("t") == "s":
                    text = strings[int(text)]
                fill = fills[xf_fill[int(cell.get("s", "0"))]]
                cells[column_index(cell.get("r"))] = text + (f"[{fill}]" if fill else "")
            width = max(cells) + 1 if cells else 0
            print("\t".join(cells.get(i, "") for i in range(width)))


if __name__ == "__main__":
    main(sys.argv[1])
