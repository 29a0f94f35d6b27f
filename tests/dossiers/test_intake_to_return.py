import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from dossiers.services import move_dossier

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@time_machine.travel(dt.datetime(2025, 9, 12, 9, 0, tzinfo=VN), tick=False)
def test_intake_to_return(receive, vn_calendar, clerk):
    d = receive(at=dt.datetime(2025, 8, 29, 10, 0, tzinfo=VN))
    assert d.code == "H25.05293-250829-0001"
    assert d.due_at == dt.datetime(2025, 9, 5, 17, 0, tzinfo=VN)  # 1–2/9 are holidays
    d = move_dossier(d, 4, actor=clerk, at=dt.datetime(2025, 8, 29, 11, 0, tzinfo=VN))
    d = move_dossier(d, 9, actor=clerk, at=dt.datetime(2025, 9, 5, 15, 0, tzinfo=VN))
    assert d.timeliness == "on_time"
    d = move_dossier(d, 10, actor=clerk, at=dt.datetime(2025, 9, 8, 8, 0, tzinfo=VN))
    assert d.version == 4
    assert list(d.events.values_list("to_status", flat=True)) == [2, 4, 9, 10]
