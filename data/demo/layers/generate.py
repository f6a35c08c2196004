"""Generate the demo layers of Pokrovsk and Pokrov (run: .venv/bin/python data/demo/layers/generate.py).

Deterministic (fixed seed and date); writes <slug>-<layer>.geojson beside this file.
Everything here is invented demo data around each hromada's centre, labelled as such.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

from pyproj import Transformer

HERE = Path(__file__).parent
GENERATED_ON = date(2026, 11, 23)

HROMADAS = {
    # slug: (centre lon, lat, UCS-2000 TM zone EPSG, KOATUU-like prefix, streets)
    "pokrovsk": (37.1772, 48.2771, 6386, "1412600000", [
        "вул. Шмідта", "просп. Шевченка", "вул. Торгова", "вул. Європейська", "вул. Захисників України",
        "вул. Прокоф'єва", "вул. Соборна", "мкрн Південний",
    ]),
    "pokrov": (34.1149, 47.6547, 6385, "1211600000", [
        "вул. Центральна", "вул. Медична", "вул. Горького", "вул. Героїв Чорнобиля",
        "вул. Херсонська", "вул. Шатохіна",
    ]),
}  # fmt: skip

PURPOSES = [
    ("02.01", "Для будівництва і обслуговування житлового будинку, господарських будівель і споруд"),
    ("02.07", "Для іншої житлової забудови"),
    ("03.07", "Для будівництва та обслуговування будівель торгівлі"),
    ("03.08", "Для будівництва та обслуговування об'єктів туристичної інфраструктури та закладів громадського харчування"),
    ("03.15", "Для будівництва та обслуговування інших будівель громадської забудови"),
    ("01.01", "Для ведення товарного сільськогосподарського виробництва"),
    ("11.02", "Для розміщення та експлуатації основних, підсобних і допоміжних будівель та споруд підприємств переробної, машинобудівної та іншої промисловості"),
]  # fmt: skip
OWNERS = ["ТОВ «Покровтрейд»", "ФОП Коваленко О. П.", "ФОП Шевчук І. М.", "ТОВ «Смачна кава»",
          "ПП «Квіти Донбасу»", "ФОП Бондар Н. В."]  # fmt: skip
DISTRIBUTORS = [("ТОВ «Рекламна група Схід»", "41234567"), ("ТОВ «Білборд Україна»", "39876543"),
                ("ФОП Мельник А. С.", "3123456789")]  # fmt: skip


def main() -> None:
    for slug, (lon, lat, epsg, prefix, streets) in HROMADAS.items():
        rng = random.Random(f"geoportal-demo-{slug}")
        to_wgs = Transformer.from_crs(epsg, 4326, always_xy=True)
        to_local = Transformer.from_crs(4326, epsg, always_xy=True)
        cx, cy = to_local.transform(lon, lat)

        def ll(x: float, y: float, to_wgs: Transformer = to_wgs) -> list[float]:
            a, b = to_wgs.transform(x, y)
            return [round(a, 7), round(b, 7)]

        def rect(x0: float, y0: float, w: float, h: float) -> list[list[list[float]]]:
            ring = [(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h), (x0, y0)]
            return [[ll(x, y) for x, y in ring]]

        plots, trade_centres = [], []
        for i in range(6):
            for j in range(6):
                n = i * 6 + j
                w, h = rng.choice([(40, 60), (50, 80), (60, 100), (80, 120), (30, 40)])
                x0, y0 = cx - 450 + j * 150, cy - 450 + i * 150
                code, text = PURPOSES[n % len(PURPOSES)]
                ownership = ["200", "100", "200", "300"][n % 4]
                status = ""
                if ownership == "200":
                    status = ["free", "auction", "leased", "in_use"][n % 4]
                if code in ("03.07", "03.08", "03.15"):
                    trade_centres.append((x0 + w / 2, y0 + h / 2))
                plots.append({
                    "type": "Feature",
                    "properties": {
                        "cadastral_number": f"{prefix}:01:{i + 1:03d}:{j + 1:04d}",
                        "category": "200" if code.startswith(("02", "03")) else "100",
                        "purpose_code": code,
                        "purpose_text": text,
                        "ownership": ownership,
                        "area_ha": round(w * h / 10000, 4),
                        "investor_status": status,
                        "normative_valuation": round(w * h * rng.uniform(180, 420), 2),
                        "lease_until": (GENERATED_ON + timedelta(days=365 * (1 + n % 5))).isoformat()
                        if status == "leased" else None,
                        "demo": True,
                    },
                    "geometry": {"type": "Polygon", "coordinates": rect(x0, y0, w, h)},
                })  # fmt: skip

        zones = []
        for k, (code, name, dx, dy, no_maf, no_ads) in enumerate([
            ("Г-1", "Громадсько-ділова зона центру", -500, -500, False, False),
            ("Ж-1", "Зона садибної житлової забудови", 0, -500, True, False),
            ("Ж-2", "Зона малоповерхової багатоквартирної забудови", -500, 0, False, False),
            ("Р-3", "Рекреаційна зона озеленених територій", 0, 0, True, True),
            ("КС-2", "Комунально-складська зона", 500, -500, False, False),
            ("П-1", "Виробнича зона", 500, 0, True, True),
        ]):  # fmt: skip
            zones.append({
                "type": "Feature",
                "properties": {
                    "code": code, "name": name,
                    "predominant_uses": "Відповідно до плану зонування (демо)",
                    "restrictions": "Висотність до 5 поверхів" if code.startswith("Ж") else "",
                    "decision_number": f"{10 + k}/VIII", "decision_date": "2021-03-25",
                    "allows_temporary_structures": not no_maf, "allows_advertising": not no_ads,
                    "demo": True,
                },
                "geometry": {"type": "Polygon", "coordinates": rect(cx + dx, cy + dy, 500, 500)},
            })  # fmt: skip

        mafs = []
        offsets = [-90, 12, 25, 180, 400, None, -400, 60]
        for n in range(30):
            if n < len(trade_centres) * 2 and n % 3 != 2:
                x, y = trade_centres[n // 2 % len(trade_centres)]
                x += rng.uniform(-10, 10)
                y += rng.uniform(-10, 10)
            else:
                x, y = cx + rng.uniform(-480, 480), cy + rng.uniform(-480, 480)
            kind = ["kiosk", "pavilion", "mobile", "terrace", "kiosk"][n % 5]
            delta = offsets[n % len(offsets)]
            unauthorised = n % 11 == 7
            has_permit = delta is not None and not unauthorised
            start = GENERATED_ON - timedelta(days=730) if has_permit else None
            geometry: dict = {"type": "Point", "coordinates": ll(x, y)}
            if kind == "pavilion":
                geometry = {"type": "Polygon", "coordinates": rect(x - 2.5, y - 2, 5, 4)}
            mafs.append({
                "type": "Feature",
                "properties": {
                    "passport_number": f"ПП-{slug[:3].upper()}-{2024 + n % 3}-{n + 1:03d}" if has_permit else None,
                    "permit_valid_from": start.isoformat() if start else None,
                    "permit_valid_to": (GENERATED_ON + timedelta(days=delta)).isoformat() if has_permit else None,
                    "owner_name": OWNERS[n % len(OWNERS)],
                    "kind": kind,
                    "purpose": ["trade", "food", "services", "trade"][n % 4],
                    "area_m2": 20.0 if kind == "pavilion" else round(rng.uniform(4, 12), 1),
                    "address": f"{streets[n % len(streets)]}, {rng.randint(1, 120)}",
                    "status": "unauthorised" if unauthorised else ("expired" if has_permit and delta < 0 else "active"),
                    "demo": True,
                },
                "geometry": geometry,
            })  # fmt: skip

        ads = []
        prev = (cx, cy)
        for n in range(30):
            if n % 6 == 5:  # a second structure 20 m from the previous one: too close
                x, y = prev[0] + 20, prev[1]
            else:
                x, y = cx + rng.uniform(-480, 480), cy + rng.uniform(-480, 480)
            prev = (x, y)
            delta = offsets[(n + 3) % len(offsets)]
            has_permit = delta is not None
            name, code = DISTRIBUTORS[n % len(DISTRIBUTORS)]
            kind = ["billboard", "city_light", "banner", "roof", "wall", "billboard"][n % 6]
            size = {
                "billboard": (6, 3),
                "city_light": (1.2, 1.8),
                "banner": (3, 1),
                "roof": (8, 2),
                "wall": (4, 3),
            }[kind]
            ads.append({
                "type": "Feature",
                "properties": {
                    "permit_number": f"Р-{slug[:3].upper()}-{2023 + n % 4}/{n + 1:03d}" if has_permit else None,
                    "decision_number": f"{100 + n}" if has_permit else "",
                    "decision_date": (GENERATED_ON - timedelta(days=800)).isoformat() if has_permit else None,
                    "permit_valid_from": (GENERATED_ON - timedelta(days=760)).isoformat() if has_permit else None,
                    "permit_valid_to": (GENERATED_ON + timedelta(days=delta)).isoformat() if has_permit else None,
                    "distributor_name": name, "distributor_code": code,
                    "kind": kind, "width_m": size[0], "height_m": size[1],
                    "sides": 2 if kind in ("billboard", "city_light") else 1,
                    "illuminated": kind == "city_light",
                    "address": f"{streets[(n + 2) % len(streets)]}, {rng.randint(1, 120)}",
                    "status": "active" if has_permit else "unauthorised",
                    "demo": True,
                },
                "geometry": {"type": "Point", "coordinates": ll(x, y)},
            })  # fmt: skip

        for layer, features in (
            ("land", plots),
            ("zoning", zones),
            ("maf", mafs),
            ("advertising", ads),
        ):
            collection = {
                "type": "FeatureCollection",
                "name": f"{slug}-{layer} (demo data, generated {GENERATED_ON})",
                "features": features,
            }
            path = HERE / f"{slug}-{layer}.geojson"
            path.write_text(
                json.dumps(collection, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
            print(f"{path.name}: {len(features)} features")


if __name__ == "__main__":
    main()
