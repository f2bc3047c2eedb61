"""Generate the binary and non-UTF-8 samples: qinghe-jyj-2017.docx and baiyun-swj-2017.html (GBK),
and the two standard-format samples made by eval/synthetic.py: qingshi-jtj-2021.html and
mochuan-mzj-2020.txt.

Run from anywhere: ``.venv/bin/python samples/make_samples.py``. The agencies, people and figures
are invented (see README.md). The two other .txt samples are written by hand and not generated here.
"""

from __future__ import annotations

import datetime
import random
from pathlib import Path

import docx
from docx.shared import Pt

from eval.synthetic import KINDS, make_report

HERE = Path(__file__).resolve().parent

# --- 清河市教育局 2017 (DOCX) ---------------------------------------------------------------------

QINGHE_2017_TITLE = "清河市教育局2017年政府信息公开工作年度报告"

# (text, is_heading)
QINGHE_2017: list[tuple[str, bool]] = [
    (
        (
            "本报告根据《中华人民共和国政府信息公开条例》编制，统计期限为2017年1月1日至2017年12月31日。"
            "本报告电子版可在清河市教育局网站“政府信息公开”栏目下载。"
        ),
        False,
    ),
    ("一、概述", True),
    ("（一）组织领导", True),
    (
        (
            "2017年，局领导班子专题研究信息公开工作2次，成立由分管副局长任组长的政府信息公开工作小组，局办公室明确兼职工作人员2名，"
            "各科室确定信息员8名，形成了办公室统筹、科室分工负责的工作格局。"
        ),
        False,
    ),
    ("（二）制度建设", True),
    (
        (
            "全年新建《清河市教育局信息发布审核制度》和《依申请公开办理规程》等制度2项，"
            "对信息的起草、审核、发布和归档作出具体规定。同时编制政府信息公开目录，全年新增目录条目200余条。"
        ),
        False,
    ),
    ("（三）业务培训", True),
    (
        "9月份组织政府信息公开专题培训1次，局机关各科室和直属学校共150人参加，培训内容包括条例解读、公开属性界定和保密审查三个方面。",
        False,
    ),
    ("二、主动公开政府信息情况", True),
    ("（一）网站信息发布情况", True),
    (
        (
            "2017年，市教育局网站发布各类信息1200多条，其中教育动态560条、通知公告310条，"
            "重点公开了义务教育招生范围、学生资助政策和教师招聘等信息。"
        ),
        False,
    ),
    ("（二）政府信息公开专栏公开情况", True),
    (
        (
            "全年通过政府信息公开专栏主动公开信息98条。其中，机构职能2条、政策文件35条（其中规范性文件8条）、"
            "规划计划3条、财政预决算4条、招生考试信息25条、教育督导信息12条、重要会议17条。"
        ),
        False,
    ),
    ("（三）新媒体及媒体公开情况", True),
    (
        (
            "“清河教育”微信公众号于2017年3月开通，全年推送信息500多条，关注人数约1.5万人，通过公众号后台回复家长留言约60条。"
            "市级以上媒体报道本局工作80余篇次。"
        ),
        False,
    ),
    ("（四）公众咨询情况", True),
    ("“局长信箱”全年收到公众咨询156件，办结率100%，咨询内容主要集中在入学和转学政策。", False),
    ("（五）重点领域信息公开情况", True),
    (
        (
            "全年公开义务教育招生划片范围信息28条、学生资助政策和受助名单15条，公开民办学校年检结果1次，"
            "涉及民办学校49所。全年发布政策解读材料7篇，解读形式以文字解读为主。"
        ),
        False,
    ),
    ("（六）查阅场所", True),
    (
        ("在市政务服务中心设置政府信息查阅点1个，全年接待现场查阅群众约120人次，提供文件复印件40余页，均免费提供。"),
        False,
    ),
    ("三、依申请公开政府信息情况", True),
    (
        (
            "2017年，市教育局共收到政府信息公开申请9件，其中当面申请3件、网上申请5件、信函申请1件。"
            "已全部按时答复：同意公开6件，部分公开1件，告知信息不存在2件，全年没有不予公开的情况。"
            "平均答复时间为10个工作日，最长的一件为15个工作日。从申请人看，自然人提出申请8件，"
            "法人或其他组织提出申请1件，申请主要涉及学区划分和教师招聘考试成绩。"
        ),
        False,
    ),
    ("四、政府信息公开收费及减免情况", True),
    ("2017年，市教育局依申请提供政府信息，未收取任何费用，全年也未收到减免费用的申请。", False),
    ("五、行政复议、行政诉讼及举报投诉情况", True),
    (
        (
            "2017年，市教育局未收到政府信息公开方面的行政复议申请，未发生行政诉讼；"
            "收到举报投诉1件，经核查已在规定时限内办结。"
        ),
        False,
    ),
    ("六、存在的问题及改进措施", True),
    (
        (
            "目前信息公开工作仍存在三个方面的问题：一是专栏内容更新不及时，二是政策解读数量偏少、形式单一，"
            "三是微信公众号刚刚开通，互动功能尚不完善。2018年，市教育局将组织业务培训不少于2次，"
            "推出政策解读不少于15篇，并将信息公开工作纳入直属学校年度考核。"
        ),
        False,
    ),
    ("七、其他需要报告的事项", True),
    (
        (
            "2017年，市教育局办理人大代表建议24件、政协委员提案19件，均已按期答复并公开办理结果摘要。"
            "全年召开新闻通气会1次。"
        ),
        False,
    ),
    ("附件：清河市教育局2017年政府信息公开情况统计表", False),
]

# 类别 | 指标 | 单位 | 数量; "" in the first column continues the category above (a vertical merge).
QINGHE_2017_TABLE: list[tuple[str, str, str, str]] = [
    ("类别", "指标", "单位", "数量"),
    ("主动公开", "专栏主动公开信息数", "条", "98"),
    ("依申请公开", "收到申请数", "件", "9"),
    ("", "同意公开数", "件", "6"),
    ("", "部分公开数", "件", "1"),
    ("", "信息不存在数", "件", "2"),
    ("复议和诉讼", "行政复议数", "件", "0"),
    ("", "行政诉讼数", "件", "0"),
    ("收费", "收取费用", "元", "0"),
]


def make_qinghe_2017_docx(path: Path) -> None:
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(12)
    document.add_heading(QINGHE_2017_TITLE, level=0)
    for text, is_heading in QINGHE_2017:
        if is_heading:
            document.add_heading(text, level=1 if text[0] in "一二三四五六七八九十" else 2)
        else:
            document.add_paragraph(text)
    table = document.add_table(rows=len(QINGHE_2017_TABLE), cols=4)
    table.style = "Table Grid"
    for r, row in enumerate(QINGHE_2017_TABLE):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    # merge each category cell down over the rows that continue it
    start = 1
    for r in range(2, len(QINGHE_2017_TABLE) + 1):
        if r == len(QINGHE_2017_TABLE) or QINGHE_2017_TABLE[r][0]:
            if r - 1 > start:
                table.cell(start, 0).merge(table.cell(r - 1, 0))
                table.cell(start, 0).text = QINGHE_2017_TABLE[start][0]
            start = r
    document.add_paragraph("清河市教育局")
    document.add_paragraph("2018年3月20日")
    properties = document.core_properties
    properties.title = QINGHE_2017_TITLE
    properties.author = "samples/make_samples.py"
    properties.created = properties.modified = datetime.datetime(2018, 3, 20, 9, 0)
    document.save(path)


# --- 白云市商务局 2017 (portal page, GBK) ------------------------------------------------------------

BAIYUN_2017_HTML = """<!DOCTYPE html>
<html>
<head>
<meta charset="gbk">
<meta name="PubDate" content="2018-03-05 16:20">
<title>白云市商务局2017年政府信息公开工作年度报告_白云市商务局</title>
<style>body { font-family: SimSun; } .nav li { display: inline; }</style>
<script>var pageId = 2017; function fontSize(s) { document.body.style.fontSize = s; }</script>
</head>
<body>
<header><div class="logo"><h1>白云市商务局</h1></div><div class="links">无障碍浏览 | 繁体版</div></header>
<div class="nav"><ul>
  <li><a href="/">首页</a></li><li><a href="/jggk/">机构概况</a></li><li><a href="/zwgk/">政务公开</a></li>
  <li><a href="/swdt/">商务动态</a></li><li><a href="/hdjl/">互动交流</a></li>
</ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/nb/">政府信息公开年报</a></div>
<div class="article">
<h1>白云市商务局2017年政府信息公开工作年度报告</h1>
<div class="info">发布时间：2018-03-05 16:20 来源：白云市商务局 浏览次数：1024 字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></div>
<div class="content">
<p>本报告根据《中华人民共和国政府信息公开条例》编制，内容包括概述、主动公开、依申请公开、收费及减免、行政复议和行政诉讼、存在的问题及改进措施、其他需要报告的事项七个部分。报告所列数据的统计期限为2017年1月1日至2017年12月31日。</p>
<p>一、概述<br>（一）组织保障</p>
<p>2017年，市商务局把政府信息公开纳入年度重点工作，局党组会专题研究政府信息公开工作2次，成立由局长任组长的领导小组，领导小组办公室设在局办公室，配备工作人员3名。</p>
<p>（二）制度建设</p>
<p>修订完善《白云市商务局政府信息公开指南》和《依申请公开工作规程》等制度4项，进一步明确了公开范围和办理时限，全年新增公开目录条目180余条。</p>
<p>（三）业务培训</p>
<p>全年举办政务公开业务培训班3期，累计培训４８０人次，覆盖局机关各科室和各县区商务主管部门。</p>
<h3>二、主动公开政府信息情况</h3>
<p>（一）门户网站发布情况</p>
<p>门户网站全年发布商务动态、通知公告、外贸运行数据等各类信息2600余条，同比增长约15%。</p>
<p>（二）政府信息公开专栏公开情况</p>
<p>全年在政府信息公开专栏主动公开信息212条，其中机构概况4条、政策法规46条（其中规范性文件7条）、规划计划9条、行政许可38条、财政资金15条、招商引资54条、人事信息11条、其他35条。公开目录按照机构职能、政策文件、规划计划、行政许可、财政资金等8个类别编排，实行动态更新。</p>
<p>（三）新闻发布及新媒体</p>
<p>全年召开新闻发布会4场。“白云商务”政务微博粉丝约6800人，微信公众号全年发布信息超过700条，通过政务微博回复网民留言46条；《白云日报》等媒体报道本局工作60多篇，其中专版报道5期。</p>
<p>（四）咨询答复</p>
<p>商务咨询热线全年接听来电约1100个，网上咨询平台受理咨询93件，均已答复。</p>
<p>（五）重点领域信息公开</p>
<p>按月公开外贸进出口和利用外资数据各12期，公开商务领域行政处罚结果6件、“双随机、一公开”抽查结果3批次。全年发布政策解读8篇，对外贸企业关心的出口退税和展会补贴政策作了重点说明。</p>
<p>（六）查阅场所建设</p>
<p>在市民中心设立政府信息查阅点1个，配备自助查询终端1台，全年接待查阅群众约210人次。</p>
<h3>三、依申请公开政府信息情况</h3>
<p>2017年，市商务局共收到政府信息公开申请12件，其中网上申请7件、信函申请3件、当面申请2件。办理结果为：同意公开8件，部分公开2件，因涉及商业秘密不予公开1件，告知不属于本机关职责范围1件，平均办理时间为9个工作日。从申请人看，自然人提出申请5件，企业提出申请7件，申请内容主要涉及招商引资优惠政策兑现和外贸扶持资金分配。分渠道情况见下表。</p>
<table border="1">
<caption>附表：白云市商务局2017年依申请公开情况统计表</caption>
<tr><th rowspan="2">办理结果</th><th colspan="3">申请方式</th><th rowspan="2">合计</th></tr>
<tr><th>网上申请</th><th>信函申请</th><th>当面申请</th></tr>
<tr><td>同意公开（件）</td><td>5</td><td>2</td><td>1</td><td>8</td></tr>
<tr><td>部分公开（件）</td><td>1</td><td>1</td><td>0</td><td>2</td></tr>
<tr><td>不予公开（件）</td><td>1</td><td>0</td><td>0</td><td>1</td></tr>
<tr><td>非本机关职责（件）</td><td>0</td><td>0</td><td>1</td><td>1</td></tr>
<tr><td>合计（件）</td><td>7</td><td>3</td><td>2</td><td>12</td></tr>
</table>
<h3>四、政府信息公开收费及减免情况</h3>
<p>2017年，市商务局依申请提供政府信息未收取任何费用，减免金额为零；本局明确经济困难的申请人可以申请减免费用，全年未收到减免申请。</p>
<h3>五、因政府信息公开申请行政复议、提起行政诉讼的情况</h3>
<p>2017年，因政府信息公开申请引发行政复议1件，复议结果为维持原答复；未发生因政府信息公开引起的行政诉讼；未收到有关举报投诉。</p>
<h3>六、存在的问题及改进措施</h3>
<p>当前主要问题：一是部分县区商务部门公开内容更新较慢，二是政策解读数量偏少，三是依申请公开答复文书格式不够规范。2018年，市商务局将建立每月巡查通报制度，全年发布政策解读不少于12篇，并组织答复文书评查1次。</p>
<h3>七、其他需要报告的事项</h3>
<p>2017年，市商务局共办理人大代表建议12件、政协委员提案15件，办复率100%；全年组织“商务政策进园区”宣讲活动6场，现场解答企业咨询约300个。</p>
</div>
<div class="tools">【<a href="#">打印本页</a>】【<a href="#">关闭窗口</a>】 分享到：<a href="#">微信</a> <a href="#">微博</a></div>
</div>
<div class="bottom">
<p>主办单位：白云市商务局 地址：白云市人民路88号</p>
<p>版权所有 白云市商务局 网站标识码：0000000000 白ICP备00000000号</p>
</div>
</body>
</html>
"""


def make_baiyun_2017_html(path: Path) -> None:
    path.write_text(BAIYUN_2017_HTML, encoding="gbk")


# --- standard-format reports (2019 onwards), from the synthetic generator --------------------------


def make_standard_samples(directory: Path) -> None:
    """青石县交通运输局 2021 (2021 tables, （六） split; a portal page) and 墨川市民政局 2020 (2019
    tables; the archive's flattened text). Fixed seeds: the figures are the generator's."""
    kinds = {kind.name: kind for kind in KINDS}
    qingshi = make_report(
        random.Random(2021), place=("青石", "qingshi"), level="县", kind=kinds["交通运输局"],
        year=2021, version="2021", split_other=True,
    )  # fmt: skip
    (directory / "qingshi-jtj-2021.html").write_bytes(qingshi.html_bytes())
    mochuan = make_report(
        random.Random(2020), place=("墨川", "mochuan"), level="市", kind=kinds["民政局"],
        year=2020, version="2019", split_other=False,
    )  # fmt: skip
    (directory / "mochuan-mzj-2020.txt").write_bytes(mochuan.text().encode("utf-8"))


if __name__ == "__main__":
    make_qinghe_2017_docx(HERE / "qinghe-jyj-2017.docx")
    make_baiyun_2017_html(HERE / "baiyun-swj-2017.html")
    make_standard_samples(HERE)
