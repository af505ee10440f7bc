"""Batch bookkeeping shared by the roster, punch and bank-result endpoints."""
from wagewatch.api.fields import Doc


class Batch:
    """Validates each item on its own; bad items are reported by index, good ones go on."""

    def __init__(self, items: list, parse):
        self.good: list[tuple[int, dict]] = []
        self.rejected: dict[int, list] = {}
        for index, item in enumerate(items):
            doc = Doc(item)
            values = parse(doc)
            if doc.errors:
                self.rejected[index] = doc.errors
            else:
                self.good.append((index, values))

    def reject(self, index: int, field: str, message: str) -> None:
        self.rejected.setdefault(index, []).append({"field": field, "message": message})

    def keep(self, test) -> None:
        """Move items for which test(values) returns (field, message) to the rejected list."""
        kept = []
        for index, values in self.good:
            problem = test(values)
            if problem:
                self.reject(index, *problem)
            else:
                kept.append((index, values))
        self.good = kept

    def answer(self, accepted: int, duplicates: int) -> tuple[dict, int]:
        rejected = [{"index": i, "errors": self.rejected[i]} for i in sorted(self.rejected)]
        return {"accepted": accepted, "duplicates": duplicates, "rejected": rejected}, 200
