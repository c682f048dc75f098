"""The finance workbook and its Excel buttons."""
