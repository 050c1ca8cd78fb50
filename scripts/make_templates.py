"""Writes the document templates `src/nadzor/documents/templates/*.docx` (run once; the .docx files
are committed and a clerk may edit them in Word or LibreOffice afterwards, keeping the `{{ … }}` and
`{%p … %}` tags). Each template is an official layout in Russian: the office header, the date, number
and place, the title, the body and the signature block with the signer's position (acting where so)
and name. The tags are filled by `nadzor.casework.documents` through docxtpl (autoescaped).

    .venv/bin/python scripts/make_templates.py [CODE …]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

OUT = Path(__file__).resolve().parents[1] / "src" / "nadzor" / "documents" / "templates"
FONT = "DejaVu Serif"

# A template is a list of items:
#   ("header",)                      office header, date / number, place
#   ("to", text)                     addressee block, right-aligned
#   ("title", text)                  centered bold title (may contain tags)
#   ("center", text) / ("p", text)   a centered paragraph / a justified paragraph with indent
#   ("bold", text)                   a bold paragraph flush left (ПОСТАНОВИЛ:, ТРЕБУЮ:)
#   ("each", var, prefix)            one justified paragraph per item of the list `var`
#   ("if", condition, [items])       the items only when the condition holds
#   ("signature",)                   position (acting where so) and name
Item = tuple[Any, ...]

HEADER: list[Item] = [("header",)]
SIGN: list[Item] = [("signature",)]
SUBJECT = "{{ subject_name }}{% if subject_location %}, {{ subject_location }}{% endif %}" \
          "{% if subject_bin %}, БИН/ИИН {{ subject_bin }}{% endif %}"
CHECK_REF = "о производстве проверки № {{ proceeding_number }}{% if registration %} " \
            "(зарегистрировано {{ registration }}){% endif %} в отношении {{ subject_name }}"

TEMPLATES: dict[str, list[Item]] = {
    # ------------------------------------------------------------------------------- check
    "gp_petition": [
        *HEADER,
        ("to", "Генеральному Прокурору Республики Казахстан"),
        ("title", "ХОДАТАЙСТВО\nо назначении проверки в деятельности субъекта предпринимательства"),
        ("p", "В соответствии с пунктом 10 Инструкции об организации надзора за законностью "
              "деятельности государственных органов, организаций и должностных лиц (приказ Генерального "
              "Прокурора Республики Казахстан № 60, ред. приказа № 102) прошу поручить проведение проверки "
              "в деятельности субъекта предпринимательства: " + SUBJECT + "."),
        ("p", "Основание: {{ basis }}."),
        ("bold", "Мотивированное обоснование необходимости проведения проверки органами прокуратуры:"),
        ("each", "justification", ""),
        ("bold", "Признаки нарушений законности:"),
        ("each", "violation_signs", ""),
        ("bold", "Меры, принятые уполномоченными государственными органами:"),
        ("each", "measures_taken", ""),
        *SIGN,
    ],
    "check_resolution": [
        *HEADER,
        ("title", "ПОСТАНОВЛЕНИЕ\nо производстве проверки"),
        ("p", "{{ signer_title }} {{ signer_name }}, рассмотрев материалы об основаниях проверки "
              "({{ basis }}), руководствуясь пунктом 13 Инструкции об организации надзора за законностью "
              "деятельности государственных органов, организаций и должностных лиц,"),
        ("bold", "ПОСТАНОВИЛ:"),
        ("p", "1. Провести проверку в отношении: " + SUBJECT + "."),
        ("p", "2. Предмет (тематика) проверки: {{ topic }}; проверяемый период: {{ checked_period }}. "
              "Независимо от тематики в предмет проверки входят: применение законодательства о "
              "противодействии коррупции, о профилактике правонарушений и об административных "
              "правонарушениях (если проверяемый орган или организация является субъектом профилактики "
              "правонарушений, обладает полномочиями по возбуждению дела об административном "
              "правонарушении), а также законность правовых актов государственных, местных "
              "представительных и исполнительных органов, органов местного самоуправления и их "
              "должностных лиц, иных организаций по тематике проверки (пункт 22 Инструкции)."),
        ("p", "3. Проведение проверки поручить:"),
        ("each", "assignees", "– "),
        ("if", "specialists", [("p", "К проверке привлекаются специалисты:"), ("each", "specialists", "– ")]),
        ("p", "4. Срок проведения проверки: с {{ start_date }} по {{ end_date }}."),
        ("p", "5. Проверяемый субъект вправе: присутствовать при проведении проверки, давать объяснения по "
              "ее предмету, получить справку о результатах проверки и в течение пяти рабочих дней со дня ее "
              "вручения представить письменные возражения, обжаловать действия прокурора в установленном "
              "законом порядке. Проверяемый субъект обязан: обеспечить лицам, проводящим проверку, доступ к "
              "объекту проверки, представить запрошенные документы и сведения, не препятствовать "
              "проведению проверки."),
        ("if", "registration", [("p", "Постановление зарегистрировано в органе по правовой статистике и "
                                      "специальным учетам: {{ registration }}.")]),
        *SIGN,
    ],
    "suspension_resolution": [
        *HEADER,
        ("title", "ПОСТАНОВЛЕНИЕ\nо приостановлении производства проверки"),
        ("p", "{{ signer_title }} {{ signer_name }}, рассмотрев материалы проверки, назначенной "
              "постановлением " + CHECK_REF + ","),
        ("bold", "УСТАНОВИЛ:"),
        ("each", "reasons", ""),
        ("p", "На основании пунктов 17 и 18 Инструкции об организации надзора за законностью деятельности "
              "государственных органов, организаций и должностных лиц,"),
        ("bold", "ПОСТАНОВИЛ:"),
        ("p", "1. Приостановить производство проверки с {{ date }} в связи с основанием: {{ ground }} — "
              "{{ until }}."),
        ("p", "2. Исчисление срока проверки продолжить со дня ее возобновления."),
        ("p", "3. Уведомить о принятом решении орган по правовой статистике и специальным учетам и "
              "проверяемого субъекта в течение трех рабочих дней."),
        *SIGN,
    ],
    "resumption_resolution": [
        *HEADER,
        ("title", "ПОСТАНОВЛЕНИЕ\nо возобновлении производства проверки"),
        ("p", "{{ signer_title }} {{ signer_name }}, рассмотрев материалы проверки, назначенной "
              "постановлением " + CHECK_REF + ", приостановленной {{ suspended_on }},"),
        ("bold", "УСТАНОВИЛ:"),
        ("each", "reasons", ""),
        ("p", "На основании пунктов 17 и 18 Инструкции об организации надзора за законностью деятельности "
              "государственных органов, организаций и должностных лиц,"),
        ("bold", "ПОСТАНОВИЛ:"),
        ("p", "1. Возобновить производство проверки с {{ date }}; исчисление срока проверки продолжается со "
              "дня возобновления{% if last_day %}, последний день проверки — {{ last_day }}{% endif %}."),
        ("p", "2. Уведомить о принятом решении орган по правовой статистике и специальным учетам и "
              "проверяемого субъекта в течение трех рабочих дней."),
        *SIGN,
    ],
    "extension_resolution": [
        *HEADER,
        ("title", "ПОСТАНОВЛЕНИЕ\nо продлении срока проверки"),
        ("p", "{{ signer_title }} {{ signer_name }}, рассмотрев ходатайство о продлении срока проверки, "
              "назначенной постановлением " + CHECK_REF + ","),
        ("bold", "УСТАНОВИЛ:"),
        ("each", "reasons", ""),
        ("p", "На основании пунктов 16 и 18 Инструкции об организации надзора за законностью деятельности "
              "государственных органов, организаций и должностных лиц,"),
        ("bold", "ПОСТАНОВИЛ:"),
        ("p", "1. Продлить срок проведения проверки на {{ days }} календарных дней"
              "{% if last_day %}, до {{ last_day }} включительно{% endif %}."),
        ("p", "2. Уведомить о принятом решении орган по правовой статистике и специальным учетам и "
              "проверяемого субъекта в течение трех рабочих дней."),
        *SIGN,
    ],
    "composition_resolution": [
        *HEADER,
        ("title", "ПОСТАНОВЛЕНИЕ\nоб изменении состава лиц, проводящих проверку"),
        ("p", "{{ signer_title }} {{ signer_name }}, рассмотрев материалы проверки, назначенной "
              "постановлением " + CHECK_REF + ","),
        ("bold", "УСТАНОВИЛ:"),
        ("each", "reasons", ""),
        ("p", "На основании пунктов 15 и 18 Инструкции об организации надзора за законностью деятельности "
              "государственных органов, организаций и должностных лиц,"),
        ("bold", "ПОСТАНОВИЛ:"),
        ("p", "1. Проведение проверки с {{ date }} поручить:"),
        ("each", "assignees", "– "),
        ("p", "2. Уведомить о принятом решении орган по правовой статистике и специальным учетам и "
              "проверяемого субъекта в течение трех рабочих дней."),
        *SIGN,
    ],
    "order_notice": [
        *HEADER,
        ("to", "{{ statistics_body }}\n{{ subject_name }}"),
        ("title", "УВЕДОМЛЕНИЕ"),
        ("p", "В соответствии с пунктом 18 Инструкции об организации надзора за законностью деятельности "
              "государственных органов, организаций и должностных лиц уведомляю, что {{ order_date }} "
              "вынесено мотивированное постановление {{ order_title }}, назначенной постановлением "
              + CHECK_REF + "."),
        ("p", "{{ order_summary }}"),
        *SIGN,
    ],
    "extension_petition": [
        *HEADER,
        ("to", "{{ addressee }}"),
        ("title", "ХОДАТАЙСТВО\nо продлении срока проверки"),
        ("p", "Постановлением " + CHECK_REF + " назначена проверка (предмет: {{ topic }}). Проверка начата "
              "{{ start }}, срок ее проведения истекает {{ last_day }}."),
        ("each", "justification", ""),
        ("p", "На основании пункта 16 Инструкции об организации надзора за законностью деятельности "
              "государственных органов, организаций и должностных лиц прошу согласовать продление срока "
              "проверки на {{ days }} календарных дней."),
        *SIGN,
    ],
    "expertise_resolution": [
        *HEADER,
        ("title", "ПОСТАНОВЛЕНИЕ\nо назначении экспертизы"),
        ("p", "{{ signer_title }} {{ signer_name }} ({{ office_name }}), рассмотрев материалы проверки, "
              "назначенной постановлением " + CHECK_REF + ","),
        ("bold", "УСТАНОВИЛ:"),
        ("each", "grounds", ""),
        ("p", "Без назначения экспертизы, требующей специальных научных знаний, реализовать проверку не "
              "представляется возможным. На основании пункта 20 Инструкции об организации надзора за "
              "законностью деятельности государственных органов, организаций и должностных лиц,"),
        ("bold", "ПОСТАНОВИЛ:"),
        ("p", "1. Назначить {{ expertise_kind }}. Время и место назначения: {{ date }}, {{ place }}."),
        ("p", "2. На экспертизу направить:"),
        ("each", "objects", "– "),
        ("p", "3. {{ permission }}"),
        ("p", "4. Производство экспертизы поручить: {{ expert }}."),
        ("if", "questions", [("p", "5. На разрешение эксперта поставить вопросы:"), ("each", "questions", "– ")]),
        *SIGN,
    ],
    "orm_resolution": [
        *HEADER,
        ("title", "ПОСТАНОВЛЕНИЕ\nо проведении оперативно-розыскных мероприятий"),
        ("p", "{{ signer_title }} {{ signer_name }} ({{ office_name }}), рассмотрев материалы проверки, "
              "назначенной постановлением " + CHECK_REF + ","),
        ("bold", "УСТАНОВИЛ:"),
        ("each", "grounds", ""),
        ("p", "На основании пункта 19 Инструкции об организации надзора за законностью деятельности "
              "государственных органов, организаций и должностных лиц,"),
        ("bold", "ПОСТАНОВИЛ:"),
        ("p", "1. Провести оперативно-розыскные мероприятия{% if executor %}, поручив их проведение: "
              "{{ executor }}{% endif %}."),
        ("if", "measures", [("p", "2. Перечень мероприятий:"), ("each", "measures", "– ")]),
        ("p", "Полученные результаты представить в форме: {{ results_form }} — в срок до {{ results_due }}."),
        *SIGN,
    ],
    "certificate": [
        *HEADER,
        ("title", "СПРАВКА\nо результатах проверки"),
        ("p", "Дата и место составления: {{ certificate_date }}, {{ certificate_place }}."),
        ("p", "Основания проверки: {{ grounds }}."),
        ("p", "Проверяемый субъект: {{ subject_name }}. Предмет (тематика) проверки: {{ topic }}."),
        ("bold", "1. Общие сведения по тематике проверки"),
        ("each", "general_info", ""),
        ("bold", "2. Оценка соблюдения законности по предмету проверки"),
        ("each", "legality_assessment", ""),
        ("bold", "3. Анализ причин, способствовавших совершению нарушений"),
        ("each", "causes_analysis", ""),
        ("bold", "4. Механизм устранения выявленных нарушений законности, причин и условий, им "
                 "способствующих"),
        ("each", "remedy_mechanism", ""),
        ("bold", "5. Выводы и предложения по результатам проверки"),
        ("each", "conclusions", ""),
        ("bold", "Проверку проводили:"),
        ("each", "signatures", "______________ "),
        ("p", "Со справкой ознакомлен(а), экземпляр получил(а): ______________ «___» __________ 20__ г."),
    ],
    # --------------------------------------------------------------------------------- act
    "protest": [
        *HEADER,
        ("to", "{{ addressee_name }}"),
        ("title", "ПРОТЕСТ\nна {{ protested_act }}"),
        ("bold", "Правовая сущность нарушений:"),
        ("each", "legal_essence", ""),
        ("p", "Указанный акт противоречит следующим нормам законодательства Республики Казахстан:"),
        ("each", "norms", "– "),
        ("bold", "Негативные последствия нарушений:"),
        ("each", "consequences", ""),
        ("bold", "Причины и условия, которые этому способствовали:"),
        ("each", "causes", ""),
        ("p", "На основании изложенного, руководствуясь Законом Республики Казахстан «О прокуратуре» и "
              "пунктом 58 Инструкции об организации надзора за законностью деятельности государственных "
              "органов, организаций и должностных лиц,"),
        ("bold", "ТРЕБУЮ:"),
        ("each", "demand_elimination", "– "),
        ("each", "liability", "– "),
        ("each", "restoration", "– "),
        ("each", "compensation", "– "),
        ("if", "persons", [("p", "Действие протеста распространяется на:"), ("each", "persons", "– ")]),
        ("if", "response_due", [("p", "О результатах рассмотрения протеста сообщить в прокуратуру в "
                                      "письменной форме в срок до {{ response_due }}.")]),
        *SIGN,
    ],
    "representation": [
        *HEADER,
        ("to", "{{ addressee_name }}"),
        ("title", "ПРЕДСТАВЛЕНИЕ\nоб устранении нарушений законности"),
        ("bold", "Правовая сущность нарушений:"),
        ("each", "legal_essence", ""),
        ("p", "Допущены нарушения следующих норм законодательства Республики Казахстан:"),
        ("each", "norms", "– "),
        ("bold", "Негативные последствия нарушений:"),
        ("each", "consequences", ""),
        ("bold", "Причины и условия, которые этому способствовали:"),
        ("each", "causes", ""),
        ("p", "На основании изложенного, руководствуясь Законом Республики Казахстан «О прокуратуре» и "
              "пунктом 58 Инструкции об организации надзора за законностью деятельности государственных "
              "органов, организаций и должностных лиц,"),
        ("bold", "ТРЕБУЮ:"),
        ("each", "demand_elimination", "– "),
        ("each", "liability", "– "),
        ("each", "restoration", "– "),
        ("each", "compensation", "– "),
        ("if", "persons", [("p", "Действие представления распространяется на:"), ("each", "persons", "– ")]),
        ("if", "response_due", [("p", "О результатах рассмотрения представления и принятых мерах сообщить в "
                                      "прокуратуру в письменной форме в срок до {{ response_due }}.")]),
        *SIGN,
    ],
    "prescription": [
        *HEADER,
        ("to", "{{ addressee_name }}"),
        ("title", "ПРЕДПИСАНИЕ\nоб устранении нарушений законности"),
        ("bold", "Правовая сущность нарушений:"),
        ("each", "legal_essence", ""),
        ("p", "Нарушены следующие нормы законодательства Республики Казахстан:"),
        ("each", "norms", "– "),
        ("bold", "Негативные последствия нарушений:"),
        ("each", "consequences", ""),
        ("bold", "Причины и условия, которые этому способствовали:"),
        ("each", "causes", ""),
        ("p", "На основании изложенного, руководствуясь Законом Республики Казахстан «О прокуратуре» и "
              "пунктом 58 Инструкции об организации надзора за законностью деятельности государственных "
              "органов, организаций и должностных лиц,"),
        ("bold", "ПРЕДПИСЫВАЮ:"),
        ("each", "demand_elimination", "– "),
        ("each", "liability", "– "),
        ("each", "restoration", "– "),
        ("each", "compensation", "– "),
        ("if", "persons", [("p", "Действие предписания распространяется на:"), ("each", "persons", "– ")]),
        ("if", "response_due", [("p", "Об исполнении предписания сообщить в прокуратуру в письменной форме в "
                                      "срок до {{ response_due }}.")]),
        *SIGN,
    ],
    "act_resolution": [
        *HEADER,
        ("title", "ПОСТАНОВЛЕНИЕ"),
        ("p", "{{ signer_title }} {{ signer_name }}, рассмотрев материалы в отношении {{ addressee_name }},"),
        ("bold", "УСТАНОВИЛ:"),
        ("each", "legal_essence", ""),
        ("p", "Нарушены следующие нормы законодательства Республики Казахстан:"),
        ("each", "norms", "– "),
        ("each", "consequences", ""),
        ("each", "causes", ""),
        ("p", "На основании изложенного, руководствуясь Законом Республики Казахстан «О прокуратуре» и "
              "пунктом 58 Инструкции об организации надзора за законностью деятельности государственных "
              "органов, организаций и должностных лиц,"),
        ("bold", "ПОСТАНОВИЛ:"),
        ("each", "demand_elimination", "– "),
        ("each", "liability", "– "),
        ("each", "restoration", "– "),
        ("each", "compensation", "– "),
        ("if", "persons", [("p", "Действие постановления распространяется на:"), ("each", "persons", "– ")]),
        ("if", "response_due", [("p", "Об исполнении постановления сообщить в прокуратуру в срок до "
                                      "{{ response_due }}.")]),
        *SIGN,
    ],
    "superior_suspension_letter": [
        *HEADER,
        ("to", "{{ addressee_name }}\nкопия: {{ issuing_office }}"),
        ("title", "О приостановлении действия акта прокурорского надзора"),
        ("p", "В порядке пункта 62 Инструкции об организации надзора за законностью деятельности "
              "государственных органов, организаций и должностных лиц сообщаю, что действие акта "
              "прокурорского надзора — {{ act_type }} {{ issuing_office_genitive }} от {{ issued_on }} "
              "№ {{ proceeding_number }} — приостанавливается до принятия окончательного решения о "
              "необходимости его внесения."),
        ("each", "reasons", ""),
        ("p", "О принятом окончательном решении будет сообщено дополнительно."),
        *SIGN,
    ],
    "gpo_covering_letter": [
        *HEADER,
        ("to", "Генеральная прокуратура Республики Казахстан"),
        ("title", "О согласовании акта прокурорского надзора"),
        ("p", "В соответствии с пунктом 60 Инструкции об организации надзора за законностью деятельности "
              "государственных органов, организаций и должностных лиц направляется для согласования "
              "проект акта прокурорского надзора и реагирования — {{ act_type }} в адрес {{ addressee_name }} "
              "(центральный государственный орган) по материалам № {{ proceeding_number }}."),
        ("p", "Правовая сущность нарушений: {{ legal_essence_line }}"),
        ("p", "Прошу рассмотреть проект в срок, не превышающий десяти рабочих дней."),
        ("p", "Приложение: проект акта{% if attachments %}; {{ attachments }}{% endif %}."),
        *SIGN,
    ],
    # -------------------------------------------------------------------------- evaluation
    "act_request": [
        *HEADER,
        ("to", "{{ adopting_body }}"),
        ("title", "О представлении акта"),
        ("p", "В соответствии с пунктом 25 Правил {{ rules_title }} и статьей 24 Закона Республики Казахстан "
              "«О прокуратуре» для оценки законности прошу представить в прокуратуру {{ act_description }}"
              "{% if materials %} с материалами, послужившими основанием его принятия{% endif %}."),
        ("p", "Акт (решение) надлежит представить {{ due_text }}."),
        *SIGN,
    ],
    "act_suspension_resolution": [
        *HEADER,
        ("title", "ПОСТАНОВЛЕНИЕ\nо приостановлении исполнения акта"),
        ("p", "{{ signer_title }} {{ signer_name }}, рассмотрев материалы оценки законности: "
              "{{ act_description }},"),
        ("bold", "УСТАНОВИЛ:"),
        ("p", "На указанный акт внесен протест, решение по которому не принято."),
        ("each", "reasons", ""),
        ("p", "Исполнение акта привело либо может привести к необратимым последствиям для жизни и здоровья "
              "людей либо для безопасности Республики Казахстан. На основании пункта 30 Правил "
              "{{ rules_title }},"),
        ("bold", "ПОСТАНОВИЛ:"),
        ("p", "1. Приостановить исполнение акта: {{ act_description }} — до принятия решения по протесту."),
        ("if", "normative", [("p", "2. Настоящее постановление, приостанавливающее действие нормативного "
                                   "правового акта, подлежит незамедлительному опубликованию.")]),
        *SIGN,
    ],
    "study_conclusion": [
        *HEADER,
        ("title", "ЗАКЛЮЧЕНИЕ\nпо результатам изучения акта"),
        ("p", "В соответствии с пунктом 26 Правил {{ rules_title }} изучен акт: {{ act_description }}."),
        ("bold", "Результаты изучения:"),
        ("each", "checklist_lines", "– "),
        ("p", "{{ conclusion }}"),
        *SIGN,
    ],
    "transfer_letter": [
        *HEADER,
        ("to", "{{ transfer_to }}"),
        ("title", "О направлении материалов по компетенции"),
        ("p", "В ходе оценки законности {{ act_description }} выявлены нарушения: {{ violations }}."),
        ("each", "reasons", ""),
        ("p", "Поскольку полномочия на опротестование указанного акта у прокуратуры отсутствуют, в "
              "соответствии с пунктом 28 Правил {{ rules_title }} материалы направляются для рассмотрения по "
              "компетенции."),
        ("p", "Приложение: материалы оценки{% if attachments %}; {{ attachments }}{% endif %}."),
        *SIGN,
    ],
    "court_application": [
        ("center", "ПРОЕКТ"),
        *HEADER,
        ("to", "{{ court }}\nЗаявитель: {{ office_name }}\nЗаинтересованное лицо: {{ adopting_body }}"),
        ("title", "ЗАЯВЛЕНИЕ\nо признании акта незаконным"),
        ("p", "Прокуратурой проведена оценка законности: {{ act_description }}. Выявлены нарушения: "
              "{{ violations }}."),
        ("p", "На указанный акт внесен протест{% if protest_date %} от {{ protest_date }}{% endif %}, который "
              "отклонен{% if decided_on %} {{ decided_on }}{% endif %}."),
        ("each", "reasons", ""),
        ("p", "На основании пункта 31 Правил {{ rules_title }}, руководствуясь {{ procedure_code }},"),
        ("bold", "ПРОШУ:"),
        ("each", "demands", "– "),
        *SIGN,
    ],
    # ---------------------------------------------------------------------------- analysis
    "info_request": [
        *HEADER,
        ("to", "{{ addressee_name }}"),
        ("title", "О представлении информации"),
        ("p", "Прокуратурой проводится анализ состояния законности{% if topic %} по теме: {{ topic }}"
              "{% endif %}. В соответствии с пунктами 13 и 14 Правил {{ rules_title }} прошу представить "
              "следующие сведения, документы и материалы:"),
        ("each", "information", "– "),
        ("if", "grounds", [("p", "Основания истребования: {{ grounds }}.")]),
        ("p", "Информацию представить {{ due_text }} с соблюдением установленных законом требований и "
              "ограничений к разглашению государственных секретов и иной охраняемой законом тайны."),
        *SIGN,
    ],
    "analysis_certificate": [
        *HEADER,
        ("title", "СПРАВКА\nо результатах анализа состояния законности"),
        ("p", "Дата составления: {{ date }}. Предмет анализа: {{ topic }}. Период, охваченный анализом: "
              "{{ period }}."),
        ("bold", "1. Установленные в ходе анализа сведения и обстоятельства"),
        ("each", "findings", ""),
        ("bold", "Статистика"),
        ("each", "statistics", ""),
        ("bold", "2. Выводы о состоянии законности, причины и условия совершения правонарушений"),
        ("each", "conclusions", ""),
        ("each", "causes", ""),
        ("bold", "3. Предложения о способах разрешения и устранения правонарушений, проблем, недостатков и "
                 "пробелов в законодательстве"),
        ("each", "proposals", ""),
        ("bold", "Использованные источники сведений (пункт 12 Правил):"),
        ("each", "sources", "– "),
        ("p", "Анализ проводил: ______________"),
    ],
    "analysis_requirement": [
        *HEADER,
        ("to", "{{ authority_name }}"),
        ("title", "ТРЕБОВАНИЕ\nо проведении проверки"),
        ("p", "По результатам анализа состояния законности{% if analysis_topic %} ({{ analysis_topic }}){% endif %}, "
              "руководствуясь пунктом 19 Правил {{ rules_title }}, требую провести проверку деятельности "
              "{{ target_text }}: {{ subject_name }}{% if harm_text %} {{ harm_text }}{% endif %}."),
        ("if", "justification", [("bold", "Обоснование целесообразности направления требования:"),
                                 ("each", "justification", "")]),
        *SIGN,
    ],
    "analysis_petition": [
        *HEADER,
        ("to", "Генеральному Прокурору\nРеспублики Казахстан"),
        ("title", "ХОДАТАЙСТВО\nо назначении проверки субъекта предпринимательства"),
        ("p", "По результатам анализа состояния законности{% if analysis_topic %} ({{ analysis_topic }}){% endif %}, "
              "руководствуясь пунктами 19 и 23 Правил {{ rules_title }}, прошу назначить проверку деятельности "
              "{{ subject_name }}."),
        ("bold", "Мотивированное обоснование необходимости проведения проверки органами прокуратуры:"),
        ("each", "justification", ""),
        ("bold", "Признаки нарушений законности:"),
        ("each", "violations", ""),
        ("bold", "Меры, принятые уполномоченными государственными органами:"),
        ("each", "measures", ""),
        *SIGN,
    ],
}


def _font(run: Any, *, bold: bool = False, size: float = 13) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold


def _para(doc: Any, text: str, *, align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY, bold: bool = False,
          indent: bool = True, size: float = 13, space_after: float = 4) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.25)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        _font(run, bold=bold, size=size)
        if i < len(lines) - 1:
            run.add_break()


def _tag(doc: Any, text: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag (`{%p … %}`): removed when rendered."""
    _para(doc, text, indent=False, space_after=0)


def _cell(cell: Any, text: str, align: Any, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    _font(paragraph.add_run(text), bold=bold)


def _table(doc: Any, left: str, right: str, *, bold: bool = False, widths: tuple[float, float] = (10, 6.5)) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, width in zip(table.rows[0].cells, (Cm(widths[0]), Cm(widths[1])), strict=True):
        cell.width = width
    _cell(table.rows[0].cells[0], left, WD_ALIGN_PARAGRAPH.LEFT, bold=bold)
    _cell(table.rows[0].cells[1], right, WD_ALIGN_PARAGRAPH.RIGHT, bold=bold)


def _items(doc: Any, items: Sequence[Item]) -> None:
    for item in items:
        what = item[0]
        if what == "header":
            _para(doc, "{{ office_name }}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, indent=False, size=14)
            _para(doc, "{{ office_address }}", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, size=10,
                  space_after=10)
            _table(doc, "{{ date }}", "№ {{ number }}", widths=(5, 11.5))
            _para(doc, "г. {{ city }}", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_after=12)
        elif what == "to":
            paragraph_text = item[1]
            paragraph = doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            paragraph.paragraph_format.left_indent = Cm(9)
            paragraph.paragraph_format.space_after = Pt(12)
            lines = paragraph_text.split("\n")
            for i, line in enumerate(lines):
                run = paragraph.add_run(line)
                _font(run, bold=True)
                if i < len(lines) - 1:
                    run.add_break()
        elif what == "title":
            _para(doc, item[1], align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, indent=False, space_after=12)
        elif what == "center":
            _para(doc, item[1], align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        elif what == "p":
            _para(doc, item[1])
        elif what == "bold":
            _para(doc, item[1], bold=True, indent=False)
        elif what == "each":
            var, prefix = item[1], item[2]
            _tag(doc, f"{{%p for line in {var} %}}")
            _para(doc, prefix + "{{ line }}")
            _tag(doc, "{%p endfor %}")
        elif what == "if":
            _tag(doc, f"{{%p if {item[1]} %}}")
            _items(doc, item[2])
            _tag(doc, "{%p endif %}")
        elif what == "signature":
            _para(doc, "", indent=False, space_after=18)
            _table(doc, "{{ signer_title }}", "{{ signer_name }}", bold=True)
        else:
            raise ValueError(what)


def build(code: str, items: Sequence[Item]) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    doc.core_properties.title = code
    doc.core_properties.author = "Nadzor"
    _items(doc, items)
    path = OUT / f"{code}.docx"
    doc.save(str(path))
    return path


def main(codes: Sequence[str] = ()) -> None:
    """Every template, or only those named (`make_templates.py orm_resolution`): the others, perhaps
    edited by a clerk since, stay as they are."""
    OUT.mkdir(parents=True, exist_ok=True)
    for code, items in TEMPLATES.items():
        if not codes or code in codes:
            print(build(code, items).relative_to(OUT.parents[3]))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
