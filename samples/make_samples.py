"""Write the sample self-assessment workbooks in this folder (rubric vib 2027.1).

Run from the repository root::

    python samples/make_samples.py            # rewrites samples/*.xlsx
    python samples/make_samples.py --out DIR  # writes them into DIR instead

The answers are data: the five institutions of the content writer's sample answers for 2027.1
(drafts/answers.md at the time): a Shanghai new-type R&D institution in 2025 and 2026, an academy
institute, a provincial university's technology-transfer office and VIB itself. Each answer is
written the way a person types it (``2600万``, ``1.2亿元``, ``20%``, ``3年``, ``是``), levels as picked
from the dropdown; per-staff indicators are raw annual totals, divided by the Institution sheet's
research_staff when scored. Nothing is random, so re-running gives byte-identical files.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# openpyxl serialises XML differently with lxml; the committed files are written without it, so that
# they are the same bytes wherever the script runs (set before openpyxl is first imported).
os.environ.setdefault("OPENPYXL_LXML", "False")

from vibbench.io import write_atomic
from vibbench.rubric.loader import load_rubric
from vibbench.rubric.model import Indicator, Rubric
from vibbench.workbook.template import (
    COLUMNS,
    YES_NO,
    build_template,
    institution_keys,
    level_entries,
    workbook_bytes,
)

HERE = Path(__file__).resolve().parent
COL = {name: i for i, name in enumerate(COLUMNS, start=1)}

Answers = tuple[tuple[str, str, str], ...]
"""(indicator id, the answer as typed, evidence) for every indicator the institution answers."""

# --------------------------------------------------------------------------- the answers

SHANGHAI_NAME = "上海某生物医药新型研发机构"
"""The same name both years, so that `vibbench compare` pairs the two."""

SHANGHAI_2025_ANSWERS: Answers = (
    (
        "RD.GOV.4",
        "3",
        "章程（2023修订）、民办非企业单位登记证书、理事会名单（含两名产业界理事）、监事会与学术委员会2025年会议纪要",
    ),
    ("RD.GOV.2", "20%", "理事会名单：15席中3席为企业代表"),
    ("RD.GOV.3", "3", "领导班子分工：分管转化的副院长为班子成员"),
    ("RD.CON.4", "2", "市科委建设方案（2021—2025）含年度绩效目标，无期末独立评估"),
    ("RD.CON.2", "3年", "建设方案承诺三年滚动支持"),
    ("RD.EVAL.1", "8", "制度规定每8年一次国际评估"),
    ("RD.EVAL.3", "2", "PI考核结果影响绩效奖励"),
    ("RD.EVAL.5", "3.2", "年度报告论文清单：250篇中8篇"),
    ("RD.IP.1", "3", "与共建高校框架协议约定权属、申请和收益分配"),
    ("RD.IP.3", "60", "科技成果转化年度报告2023—2025：奖励1,200万元÷净收入2,000万元"),
    ("RD.IP.4", "2", "2024年出台赋权管理办法，尚无赋权案例"),
    ("RD.IP.5", "否", "资产管理制度未单列"),
    ("RD.HR.1", "3", "人员总量备案，自主定薪和评聘；有兼职和离岗创业制度，2025年无案例"),
    ("RD.HR.2", "是", "2025年转化奖励单列发放"),
    ("RC.FUND.5", "62", "2025年财务决算：市财政稳定支持占62%"),
    ("RC.FUND.6", "38", "2025年财务决算：其余38%"),
    ("RC.FUND.3", "不适用", "建设期经费按设计退坡"),
    ("RC.FUND.4", "2600万", "2025年科技成果转化年度报告：四技合同到账2,600万元"),
    ("RC.TAL.4", "60", "2023—2025年新聘PI 10人，6人经全球公开招聘"),
    ("RC.TAL.6", "800万", "PI聘任合同：五年启动经费800万元"),
    ("RC.INF.2", "2", "设年度集中技术经费"),
    ("RC.INF.5", "3", "平台收费标准公开，记录对外服务机时"),
    ("RC.ORG.1", "2", "与两所高校共建联合实验室，各自管理"),
    ("RC.ORG.2", "2", "内部多PI联合项目"),
    ("RC.ORG.4", "180", "2023—2025年转让许可作价合同：15项共2,700万元"),
    ("PI.TTO.1", "3", "技术转移部配备知识产权、商务拓展人员和创业孵化专员"),
    ("PI.TTO.5", "12", "专利台账：2016—2020年授权发明专利25件中3件五年内运用"),
    ("PI.TTO.6", "6", "人员名单：专职技术转移人员6人（含技术经理人4人）"),
    ("PI.TTO.4", "否", "年度报告仅报送主管部门"),
    ("PI.VEN.4", "0.33", "2023—2025年新设衍生企业1家"),
    ("PI.VEN.5", "2,800万", "衍生企业融资记录：累计2,800万元/家"),
    ("PI.VEN.6", "0", "尚无退出"),
    ("PI.CAP.3", "2", "每年开展概念验证项目征集"),
    ("PI.CAP.4", "40", "2021—2025年5轮中2轮由市场化创投领投"),
    ("PI.CAP.5", "2", "与两只国有创投基金签合作协议"),
    ("PI.INC.5", "3", "园区湿实验室孵化，按可投资性遴选"),
    ("PI.INC.6", "2", "与外部中试平台签长期协议"),
)
SHANGHAI_2026_ANSWERS: Answers = (
    ("RD.GOV.4", "3", "2026年新增一名独立理事，治理准则起草中"),
    ("RD.GOV.2", "27%", "2026年换届：15席中4席为企业代表"),
    ("RD.GOV.3", "3", "分管转化的副院长为班子成员，双负责人制方案待理事会审议"),
    ("RD.CON.4", "3", "2026年新签协议含第三方期末评估"),
    ("RD.CON.2", "5", "2026—2030年支持协议"),
    ("RD.EVAL.1", "5", "2026年完成第二次国际评估，间隔5年"),
    ("RD.EVAL.3", "2", "PI经费分期改革方案已起草，考核仍仅影响绩效奖励"),
    ("RD.EVAL.5", "4.1", "2026年：270篇中11篇"),
    ("RD.IP.1", "3", "同上，2026年续签"),
    ("RD.IP.3", "70", "2024—2026：奖励2,100万÷净收入3,000万"),
    ("RD.IP.4", "3", "2026年完成3项赋权，均有事前评估"),
    ("RD.IP.5", "是", "2026年资产管理办法修订，实行单列管理"),
    ("RD.HR.1", "3", "2026年仍无离岗创业案例"),
    ("RD.HR.2", "是", "同上"),
    ("RC.FUND.5", "55", "2026年：55%"),
    ("RC.FUND.6", "45", "2026年：45%"),
    ("RC.FUND.3", "12", "建设期结束，2026—2030年协议年均较建设期增12%"),
    ("RC.FUND.4", "3500万元", "2026年：3,500万元"),
    ("RC.TAL.4", "75", "2024—2026年：8人中6人"),
    ("RC.TAL.6", "1000万元", "2026年标准1,000万元"),
    ("RC.INF.2", "3", "2026年设技术跟踪与预研基金"),
    ("RC.INF.5", "3", "同上"),
    ("RC.ORG.1", "2", "联合实验室各自管理；在合作高校设专题中心的方案已起草"),
    ("RC.ORG.2", "3", "2026年设揭榜挂帅专项，含外部合作方和阶段评审节点"),
    ("RC.ORG.4", "260万元", "2024—2026年：18项共4,680万元"),
    ("PI.TTO.1", "3", "同上"),
    ("PI.TTO.5", "15", "同上口径更新：20件中3件"),
    ("PI.TTO.6", "9", "9人"),
    ("PI.TTO.4", "是", "2026年起公开发布"),
    ("PI.VEN.4", "0.67", "2024—2026年2家"),
    ("PI.VEN.5", "6000万元", "累计6,000万元/家"),
    ("PI.VEN.6", "1", "一家衍生企业被并购，本机构未持股"),
    ("PI.CAP.3", "3", "2026年设概念验证基金并记录后续融资"),
    ("PI.CAP.4", "55", "2022—2026年：11轮中6轮（约55%）"),
    ("PI.CAP.5", "3", "2026年与政府引导基金和市场化GP合作设立基金，本机构为LP"),
    ("PI.INC.5", "3", "同上"),
    ("PI.INC.6", "2", "续签外部中试平台长期协议，共建方案论证中"),
)
ACADEMY_2025_ANSWERS: Answers = (
    ("RD.GOV.4", "1", "事业单位法人证书；研究所由院部任命所长，未设理事会"),
    ("RD.GOV.2", "0", "未设理事会"),
    ("RD.GOV.3", "2", "科技处处长负责转化，非所领导"),
    ("RD.CON.4", "1", "年度预算批复附年度绩效目标"),
    ("RD.CON.2", "长期稳定（无固定期限）", "院属常设机构经费"),
    ("RD.EVAL.1", "10", "研究所评估每10年一次，含国际专家"),
    ("RD.EVAL.3", "1", "研究员为固定岗位，考核不影响经费"),
    ("RD.EVAL.5", "2.4", "科技统计年报：900篇中22篇"),
    ("RD.IP.1", "2", "与合作高校逐项目约定，框架协议仅约定权属"),
    ("RD.IP.3", "50", "2023—2025：奖励÷净收入=50%"),
    ("RD.IP.4", "1", "仅有上级政策，未出台内部办法"),
    ("RD.IP.5", "否", "按国有资产管理"),
    ("RD.HR.1", "1", "编制内为主，执行事业单位薪酬和职称标准，可编外聘用"),
    ("RD.HR.2", "否", "计入绩效工资总额"),
    ("RC.FUND.5", "22", "2025年财务决算：稳定支持占22%"),
    ("RC.FUND.6", "78", "竞争性项目与横向经费占78%"),
    ("RC.FUND.3", "8", "本周期较上周期年均增8%"),
    ("RC.FUND.4", "1.2亿元", "2025年：1.2亿元"),
    ("RC.TAL.4", "20", "5人中1人"),
    ("RC.TAL.6", "500", "五年启动经费500万元"),
    ("RC.INF.2", "2", "设年度集中技术经费"),
    ("RC.INF.5", "3", "大型科研仪器开放共享记录，对外收费"),
    ("RC.ORG.1", "1", "单一园区，项目合作"),
    ("RC.ORG.2", "3", "院先导专项含外部合作方和阶段评审节点"),
    ("RC.ORG.4", "95", "2023—2025年：40项共3,800万元"),
    ("PI.TTO.1", "2", "科技处下设知识产权办公室"),
    ("PI.TTO.5", "6", "300件中18件"),
    ("PI.TTO.6", "8", "8人"),
    ("PI.TTO.4", "否", "仅报送"),
    ("PI.VEN.4", "0.67", "2023—2025年2家"),
    ("PI.VEN.5", "1.2亿元", "累计1.2亿元/家"),
    ("PI.VEN.6", "2", "一例股权转让，研究所实现收益"),
    ("PI.CAP.3", "2", "每年开展概念验证项目征集"),
    ("PI.CAP.4", "20", "10轮中2轮"),
    ("PI.CAP.5", "2", "与院属产业基金签合作协议"),
    ("PI.INC.5", "1", "仅有办公空间"),
    ("PI.INC.6", "3", "自建中试平台"),
)
TTO_2025_ANSWERS: Answers = (
    ("RD.GOV.3", "2", "技术转移中心主任为处级，低于分管科研副校长"),
    ("RD.EVAL.1", "12", "学科评估含国际专家，约12年一次"),
    ("RD.EVAL.3", "1", "高校PI考核与经费无关"),
    ("RD.IP.1", "2", "与附属医院框架协议仅约定权属"),
    ("RD.IP.3", "65", "2023—2025：奖励÷净收入=65%"),
    ("RD.IP.4", "3", "赋权试点高校，2025年赋权5项，有事前评估"),
    ("RD.IP.5", "是", "学校2025年实行单列管理"),
    ("RD.HR.1", "1", "执行学校人事制度"),
    ("RD.HR.2", "是", "学校转化奖励单列发放"),
    ("RC.FUND.4", "2.6亿元", "2025年学校四技合同到账2.6亿元"),
    ("RC.INF.2", "1", "偶尔集中采购"),
    ("RC.INF.5", "2", "平台仅服务校内"),
    ("RC.ORG.2", "1", "仅有临时性合作"),
    ("RC.ORG.4", "42万", "2023—2025年：120项共5,040万元"),
    ("PI.TTO.1", "2", "技术转移中心配备知识产权人员"),
    ("PI.TTO.5", "4", "1,200件中48件"),
    ("PI.TTO.6", "22", "22人"),
    ("PI.TTO.4", "是", "学校公开发布年度转化报告"),
    ("PI.VEN.4", "2", "2023—2025年6家"),
    ("PI.VEN.5", "900", "累计900万元/家"),
    ("PI.VEN.6", "2", "一例股权转让，学校持股平台实现收益"),
    ("PI.CAP.3", "3", "学校概念验证基金由转化团队运作"),
    ("PI.CAP.4", "30", "10轮中3轮"),
    ("PI.CAP.5", "3", "学校持股平台参与设立基金（LP）"),
    ("PI.INC.5", "2", "大学科技园湿实验室，无配套服务"),
    ("PI.INC.6", "1", "逐案外购中试服务"),
)
VIB_ANSWERS: Answers = (
    ("RD.GOV.4", "4", "vib.be/management-structure; raad-van-bestuur (c. 2019-2020)"),
    ("RD.GOV.2", "43", "published roster 6 of 14 (REVIEW §2)"),
    ("RD.GOV.3", "4", "two managing directors (biovox c. 2020)"),
    ("RD.CON.4", "4", "management agreement, evaluations 2007/2012/2017"),
    ("RD.CON.2", "5", "5-year convenants since 1996"),
    ("RD.EVAL.1", "5", "4th review 2015 → every 5 years"),
    ("RD.EVAL.3", "3", "biovox c. 2020"),
    ("RD.EVAL.5", "10.5", "88 of 840 (2016/17)"),
    ("RD.IP.1", "4", "joint venture, 50-50 (2007, 2015)"),
    ("RD.IP.3", "70", "policy benchmark (design)"),
    ("RD.IP.4", "3", "policy benchmark (design)"),
    ("RD.IP.5", "yes", "private non-profit, no appraisal"),
    ("RD.HR.1", "4", "own recruitment and payroll"),
    ("RD.HR.2", "yes", "no pay cap"),
    ("RC.FUND.5", "27", "27% (c. 2020)"),
    ("RC.FUND.6", "73", "73% (c. 2020, derived)"),
    ("RC.FUND.3", "21", "average of +20/+10/+34%"),
    ("RC.FUND.4", "16380", "21 M€ × 7.8 (2019)"),
    ("RC.TAL.4", "100", "all vacancies open internationally"),
    ("RC.TAL.6", "1560", "2 M€ over 5 years (2009)"),
    ("RC.INF.2", "4", "Tech Watch 2008, Innovation Lab 2017"),
    ("RC.INF.5", "4", "9 core facilities (2016), Core for Life"),
    ("RC.ORG.1", "4", "virtual institute, 8→10 centres"),
    ("RC.ORG.2", "4", "Grand Challenges Program (2017)"),
    ("RC.ORG.4", "500", "design (reference = target)"),
    ("PI.TTO.1", "4", "Innovation & Business, Discovery Sciences"),
    ("PI.TTO.5", "30", "design (reference = target)"),
    ("PI.TTO.6", "34", "design (reference = target)"),
    ("PI.TTO.4", "yes", "annual reports (2003, 2016, 2019)"),
    ("PI.VEN.4", "1.4", "18 (2015) → 25 (2020)"),
    ("PI.VEN.5", "35568", "820 M€ / 18 (2015)"),
    ("PI.VEN.6", "4", "Devgen, Multiplicom, Biotalys"),
    ("PI.CAP.3", "4", "New Ventures capital-first rule"),
    ("PI.CAP.4", "75", "design (reference = target)"),
    ("PI.CAP.5", "4", "V-Bio Ventures (2015), EIF cornerstone"),
    ("PI.INC.5", "4", "VIB Bio-Incubator with PMV (2023)"),
    ("PI.INC.6", "3", "Agro-Incubator, Discovery Sciences"),
)

ACADEMY_RESPONDENTS = ("张伟（科研处）", "李娜（成果转化处）", "陈明（所务委员会）")
ACADEMY_GROUP: dict[str, tuple[int, int, int]] = {
    # A group assessment: the three respondents' levels for these indicators, one row each. The
    # median is the institute's answer above, so the scores stay those of the answers; a spread of
    # two levels shows as a disagreement.
    "RD.GOV.3": (2, 3, 2),
    "RD.EVAL.3": (1, 1, 2),
    "RD.IP.1": (2, 3, 1),
    "RD.IP.4": (1, 2, 1),
    "RC.INF.2": (2, 2, 3),
    "RC.INF.5": (3, 2, 4),
    "RC.ORG.2": (3, 3, 2),
    "PI.TTO.1": (2, 3, 2),
    "PI.CAP.3": (2, 2, 1),
    "PI.INC.6": (3, 4, 3),
}
ACADEMY_UNSUPPORTED = ("RD.GOV.3", 1)
"""(indicator, respondent index) of a level-3 claim made without evidence (``unsupported_claim``)."""
UNSUPPORTED_COMMENT = "所里普遍认为已达到，但尚未整理成文件"


@dataclass(frozen=True)
class Sample:
    """One sample workbook: who answers, in which language, and what."""

    lang: str
    institution: dict[str, Any]
    """Institution sheet values as typed; ``profile`` is a profile id, written as its dropdown name."""
    answers: Answers
    typed_levels: bool = False
    """Levels typed as bare numbers instead of picked from the dropdown."""
    group: dict[str, tuple[int, ...]] = field(default_factory=dict)
    respondents: tuple[str, ...] = ()


SAMPLES: dict[str, Sample] = {
    "shanghai-biomed-2025.xlsx": Sample(
        "zh",
        {
            "name": SHANGHAI_NAME,
            "country": "中国",
            "type": "新型研发机构（生物医药）",
            "year": 2025,
            "profile": "institute",
            "research_staff": 420,
        },
        SHANGHAI_2025_ANSWERS,
    ),
    "shanghai-biomed-2026.xlsx": Sample(
        "zh",
        {
            "name": SHANGHAI_NAME,
            "country": "中国",
            "type": "新型研发机构（生物医药）",
            "year": "2026年",
            "profile": "institute",
            "research_staff": 460,
        },
        SHANGHAI_2026_ANSWERS,
    ),
    "academy-institute-2025.xlsx": Sample(
        "zh",
        {
            "name": "某院属研究所",
            "country": "中国",
            "type": "科学院研究所",
            "year": 2025,
            "profile": "institute",
            "research_staff": "1,150",
        },
        ACADEMY_2025_ANSWERS,
        group=dict(ACADEMY_GROUP),
        respondents=ACADEMY_RESPONDENTS,
    ),
    "provincial-university-tto-2025.xlsx": Sample(
        "zh",
        {
            "name": "某省属高校技术转移中心",
            "country": "中国",
            "type": "高校技术转移机构",
            "year": "2025年",
            "profile": "university_tto",
            "research_staff": "3,800",
        },
        TTO_2025_ANSWERS,
        typed_levels=True,
    ),
    "vib-reference.xlsx": Sample(
        "en",
        {
            "name": "VIB (Flanders)",
            "country": "Belgium",
            "type": "Life-sciences research institute (reference answers)",
            "year": 2020,
            "profile": "institute",
            "research_staff": "1,700",
        },
        VIB_ANSWERS,
    ),
}

# --------------------------------------------------------------------------- workbook cells

_INT = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"[0-9]+\.[0-9]+")


@dataclass
class Row:
    answer: Any = None
    evidence: str = ""
    comment: str = ""
    respondent: str = ""


def cell(sample: Sample, rubric: Rubric, ind: Indicator, typed: str) -> Any:
    """The answer as it sits in the cell: a dropdown entry, 是/否, a number, or text as typed."""
    if ind.type == "level" and _INT.fullmatch(typed):
        level = int(typed)
        return (
            level
            if sample.typed_levels
            else level_entries(rubric, ind, sample.lang)[level - rubric.scale.min]
        )
    if ind.type == "boolean" and typed in ("是", "否"):
        yes, no = YES_NO[sample.lang]
        return yes if typed == "是" else no
    if _INT.fullmatch(typed):
        return int(typed)
    if _DECIMAL.fullmatch(typed):
        return float(typed)
    return typed  # with a unit or suffix (2600万, 20%, 3年), a thousands separator, a named answer


def rows(sample: Sample, rubric: Rubric) -> dict[str, list[Row]]:
    inds = rubric.indicator_map()
    out: dict[str, list[Row]] = {}
    for ind_id, typed, evidence in sample.answers:
        ind = inds[ind_id]  # a KeyError here: the answers name an id the rubric does not have
        if ind_id not in sample.group:
            out[ind_id] = [Row(cell(sample, rubric, ind, typed), evidence)]
            continue
        assert sorted(sample.group[ind_id])[1] == int(typed), f"{ind_id}: the median must be the answer"
        out[ind_id] = [
            Row(cell(sample, rubric, ind, str(level)), evidence, "", who)
            for level, who in zip(sample.group[ind_id], sample.respondents, strict=True)
        ]
    if sample.group:
        ind_id, k = ACADEMY_UNSUPPORTED
        out[ind_id][k].evidence = ""
        out[ind_id][k].comment = UNSUPPORTED_COMMENT
    return out


def fill(sample: Sample, rubric: Rubric) -> bytes:
    filled = rows(sample, rubric)
    wb = build_template(rubric, sample.lang, copies={k: len(v) for k, v in filled.items() if len(v) > 1})
    inst = wb["Institution"]
    profiles = {p.id: p.name.get(sample.lang) for p in rubric.profiles}
    for r, key in enumerate(institution_keys(rubric), start=2):
        if key in sample.institution:
            value = sample.institution[key]
            inst.cell(row=r, column=2, value=profiles[value] if key == "profile" else value)
    ws = wb["Responses"]
    seen: dict[str, int] = {}
    for r in range(2, ws.max_row + 1):
        ind_id = ws.cell(row=r, column=COL["id"]).value
        if ind_id not in filled:
            continue  # not answered (or not applicable to the profile): left blank
        row = filled[ind_id][seen.get(ind_id, 0)]
        seen[ind_id] = seen.get(ind_id, 0) + 1
        for name in ("answer", "evidence", "comment", "respondent"):
            value = getattr(row, name)
            ws.cell(row=r, column=COL[name], value=value if value not in ("", None) else None)
    return workbook_bytes(wb)


def build_all(rubric: Rubric) -> dict[str, bytes]:
    return {name: fill(sample, rubric) for name, sample in SAMPLES.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: samples/)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in build_all(load_rubric("vib")).items():
        write_atomic(args.out / name, data)
        sys.stderr.write(f"wrote {args.out / name}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
