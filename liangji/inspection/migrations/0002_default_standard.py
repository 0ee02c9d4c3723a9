"""The default inspection standard: seven aspects and their items (domain.md §1, §6, and the
town plan's 七个方面 with its four 一票否决 indicators). Offices edit it in the application; this
migration only loads it into an empty table, so re-running `liangji init` never overwrites edits.
"""

from django.db import migrations

# fmt: off
T, V, S = "town", "village", "school"

# (aspect, [(code, name, requirement, judged_by, indicator_codes, evidence, applies, veto)])
STANDARD = [
    ("普及程度", [
        ("P01", "小学适龄儿童入学率", "达到100%", "指标", "primary_enrollment",
         "文化户口册、小学适龄儿童花名册、在外就读证明", (T, V), True),
        ("P02", "初中阶段毛入学率", "达到100%", "指标", "junior_gross_enrollment",
         "初中阶段人口与在校生花名册", (T, V), True),
        ("P03", "初中净入学率", "达到98%以上", "指标", "junior_net_enrollment",
         "13–15周岁人口花名册及就读情况", (T, V), True),
        ("P04", "流动人口子女入学率", "达到100%", "指标", "migrant_enrollment",
         "流动人口子女花名册及就读学校", (T, V), True),
        ("P05", "三类残疾儿童少年入学率", "达到90%以上", "指标", "disabled_enrollment",
         "残疾证、随班就读及送教上门记录", (T, V), True),
        ("P06", "小学在校生年辍学率", "控制在0.2%以下", "指标", "primary_dropout",
         "学籍变动记录、辍学学生登记表、复学证明", (T, S), True),
        ("P07", "初中在校生年辍学率", "控制在1.2%以下", "指标", "junior_dropout",
         "学籍变动记录、辍学学生登记表、复学证明", (T, S), True),
        ("P08", "15周岁人口初等教育完成率", "达到98.5%以上", "指标", "primary_completion_15",
         "15周岁人口花名册及毕业证明", (T, V), True),
        ("P09", "17周岁人口初级中等教育完成率", "达到94%以上", "指标", "junior_completion_17",
         "17周岁人口花名册及毕业证明", (T, V), True),
        ("P10", "15周岁人口文盲率", "控制在0.51%以下", "指标", "illiteracy_15",
         "15周岁人口文化程度登记", (T, V), True),
        ("P11", "两基档案规范齐全", "一要就有、一看就懂、一查就实、一核就准",
         "自查", "", "档案目录、各学年义务教育档案", (T, V, S), False),
    ]),
    ("教师队伍", [
        ("T01", "专任教师学历合格", "专任教师学历合格率达到95%以上", "教师", "",
         "教师花名册、学历证书", (T, S), False),
        ("T02", "教师编制配足", "按国家编制标准配足配齐教师", "自查", "",
         "编制核定文件、教师花名册", (T, S), False),
        ("T03", "校长和教师培训", "校长持证上岗,教师全员参加继续教育", "自查", "",
         "培训证书、继续教育登记", (T, S), False),
        ("T04", "教师工资按时足额发放", "教师平均工资不低于当地公务员平均工资", "自查", "",
         "工资发放表", (T,), False),
        ("T05", "学科教师配备", "音体美、信息技术等学科教师配备齐全", "自查", "",
         "课程表、任课教师名单", (S,), False),
    ]),
    ("办学条件", [
        ("C01", "无D级危房在用", "D级危房全部停用并拆除或加固", "校舍", "",
         "校舍安全鉴定报告、校舍登记表", (T, S), True),
        ("C02", "校舍面积达标", "生均校舍建筑面积达到省定标准", "自查", "",
         "校舍登记表、在校生数", (S,), False),
        ("C03", "仪器设备和图书达标", "教学仪器、图书按标准配备并正常使用", "自查", "",
         "仪器设备台账、图书登记", (S,), False),
        ("C04", "学校布局合理", "学生就近入学,布局调整未造成学生流失", "自查", "",
         "学校布局规划、撤并学生去向", (T,), False),
        ("C05", "寄宿生活设施", "寄宿制学校宿舍、食堂、厕所满足需要", "自查", "",
         "生活设施台账", (S,), False),
    ]),
    ("教育经费", [
        ("F01", "教育经费三个增长", "教育财政拨款增长高于财政经常性收入增长,生均经费逐年增长,"
         "教师工资逐年增长", "经费", "", "财政决算、教育经费统计表", (T,), True),
        ("F02", "生均公用经费足额拨付", "按省定标准及时足额拨付生均公用经费", "自查", "",
         "拨款文件、学校收支账目", (T, S), False),
        ("F03", "免费义务教育落实", "免除学杂费、免费提供教科书", "自查", "",
         "资金到账记录、教科书发放签领表", (S,), False),
        ("F04", "无乱收费", "不以任何名义向学生收取规定以外的费用", "自查", "",
         "收费公示、家长问卷", (S,), False),
        ("F05", "家庭经济困难学生资助", "寄宿生生活补助等资助政策落实到人", "自查", "",
         "资助名单、发放记录", (T, S), False),
    ]),
    ("教育质量", [
        ("Q01", "开齐开足课程", "执行国家课程方案,开齐课程、开足课时", "自查", "",
         "课程表、教学计划", (S,), False),
        ("Q02", "学生体质健康", "学生体质健康达标,每天锻炼一小时", "自查", "",
         "体质健康测试数据", (S,), False),
        ("Q03", "学业质量", "学业成绩合格率达到县定标准", "自查", "",
         "质量监测成绩", (S,), False),
        ("Q04", "规范办学行为", "不分重点班,控制作息时间和作业量", "自查", "",
         "作息时间表、作业检查记录", (S,), False),
        ("Q05", "控辍保学责任制", "建立“七长”责任制和劝返制度,辍学学生一个不少劝返", "自查", "",
         "控辍保学责任书、劝返记录", (T, V, S), False),
    ]),
    ("学校安全管理", [
        ("S01", "校园安全隐患全部整改", "排查出的校园安全隐患全部整改销号", "隐患", "",
         "隐患排查台账、整改记录", (T, S), True),
        ("S02", "安全制度和应急预案", "安全管理制度健全,应急预案完备", "自查", "",
         "制度汇编、应急预案", (S,), False),
        ("S03", "安全教育和演练", "每学期开展安全教育和疏散演练", "自查", "",
         "演练记录、照片", (S,), False),
        ("S04", "校园周边环境", "校园周边环境综合整治到位", "自查", "",
         "综治部门整治记录", (T,), False),
    ]),
    ("扫除青壮年文盲", [
        ("L01", "15–50周岁人口非文盲率", "达到99.05%以上", "指标", "literacy_15_50",
         "15–50周岁人口文化程度登记、脱盲证书", (T, V), False),
        ("L02", "村(居)民文化技术学校", "有固定场所、教师、教材和设备,按时开展扫盲教学",
         "自查", "", "办学登记、教学记录", (T, V), False),
        ("L03", "脱盲巩固", "脱盲人员参加巩固提高和实用技术培训,复盲率低于5%", "自查", "",
         "复测记录、培训记录", (T, V), False),
        ("L04", "扫盲档案", "扫盲对象、学员、测试和证书档案齐全", "自查", "",
         "扫盲档案目录", (T, V), False),
    ]),
]


# fmt: on


def load_default_standard(apps, schema_editor):
    Aspect = apps.get_model("inspection", "StandardAspect")
    Item = apps.get_model("inspection", "StandardItem")
    if Aspect.objects.exists():
        return
    for aspect_order, (aspect_name, items) in enumerate(STANDARD, start=1):
        aspect = Aspect.objects.create(order=aspect_order, name=aspect_name)
        for item_order, (code, name, requirement, judged_by, indicators, evidence, applies,
                         veto) in enumerate(items, start=1):
            Item.objects.create(
                aspect=aspect,
                code=code,
                order=item_order,
                name=name,
                requirement=requirement,
                judged_by=judged_by,
                indicator_codes=indicators,
                evidence=evidence,
                applies_to_town=T in applies,
                applies_to_village=V in applies,
                applies_to_school=S in applies,
                veto=veto,
            )


class Migration(migrations.Migration):
    dependencies = [("inspection", "0001_readiness_models")]

    operations = [migrations.RunPython(load_default_standard, migrations.RunPython.noop)]
