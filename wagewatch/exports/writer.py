"""The one xlsx writer every export goes through: real date cells, column widths, a frozen header row with an
autofilter, formula-looking text neutralised, a further sheet at Excel's row limit, and every write checked.
"""
import unicodedata
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter

from wagewatch.templating import BEIJING

SHEET_ROWS = 1_048_576  # Excel's limit per sheet, the header row included
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIN_WIDTH, MAX_WIDTH = 6, 50
MEASURED_ROWS = 2000  # widths come from the header and the first rows: enough to size a column
DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"


class WriteFailed(Exception):
    """xlsxwriter refused a cell (it answers -1 instead of raising): the file would silently lose data."""


def neutralise(value):
    """Cells that a spreadsheet would read as a formula are prefixed with ' (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def display_width(value) -> int:
    """Columns as a spreadsheet counts them: a Chinese character takes two."""
    if isinstance(value, datetime):
        return len("2026-01-01 00:00:00")
    if isinstance(value, date):
        return len("2026-01-01")
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


class ExportWriter:
    """Writes rows under a header, sheet after sheet; `rows_per_sheet` is lowered only by tests."""

    def __init__(self, path: str, title: str, headers, rows_per_sheet: int | None = None):
        self.workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False,
                                                   "strings_to_urls": False})
        self.title, self.headers, self.limit = title[:25], tuple(headers), (rows_per_sheet or SHEET_ROWS) - 1
        self.header_format = self.workbook.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1})
        self.date_format = self.workbook.add_format({"num_format": DATE_FORMAT})
        self.datetime_format = self.workbook.add_format({"num_format": DATETIME_FORMAT})
        self.widths = [display_width(header) for header in self.headers]
        self.sheets: list = []
        self.sheet, self.row, self.total = None, 0, 0

    def _new_sheet(self) -> None:
        if self.sheet is not None:
            self._close_sheet()
        name = self.title if not self.sheets else f"{self.title} ({len(self.sheets) + 1})"
        self.sheet = self.workbook.add_worksheet(name)
        self.sheets.append(self.sheet)
        self.row = 0
        self._check(self.sheet.write_row(0, 0, self.headers, self.header_format))
        self.sheet.freeze_panes(1, 0)

    def _close_sheet(self) -> None:
        self.sheet.autofilter(0, 0, max(self.row, 1), len(self.headers) - 1)

    def write(self, values) -> None:
        if self.sheet is None or self.row >= self.limit:
            self._new_sheet()
        self.row += 1
        self.total += 1
        measure = self.total <= MEASURED_ROWS
        for column, value in enumerate(values):
            self._check(self._cell(column, value))
            if measure and column < len(self.widths):
                self.widths[column] = max(self.widths[column], display_width(value))

    def _cell(self, column: int, value) -> int:
        sheet, row = self.sheet, self.row
        if value is None or value == "":
            return sheet.write_blank(row, column, None)
        if isinstance(value, datetime):
            moment = value.astimezone(BEIJING).replace(tzinfo=None) if value.tzinfo else value
            return sheet.write_datetime(row, column, moment, self.datetime_format)
        if isinstance(value, date):
            return sheet.write_datetime(row, column, value, self.date_format)
        if isinstance(value, bool):
            return sheet.write_string(row, column, "是" if value else "否")
        if isinstance(value, int | float | Decimal):
            return sheet.write_number(row, column, value)  # amounts stay numbers a spreadsheet can add up
        return sheet.write_string(row, column, str(neutralise(value)))

    @staticmethod
    def _check(result: int | None) -> None:
        if result not in (0, None):  # -1: past the sheet's limits, -2: string too long
            raise WriteFailed(f"xlsxwriter refused a cell ({result})")

    def close(self) -> None:
        if self.sheet is None:
            self._new_sheet()
        self._close_sheet()
        for sheet in self.sheets:
            for column, width in enumerate(self.widths):
                sheet.set_column(column, column, min(MAX_WIDTH, max(MIN_WIDTH, width + 2)))
        self.workbook.close()
