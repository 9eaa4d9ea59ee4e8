"""Speaker attribution cases met on articles outside the first dev set (issue 4, round 2).

Each text is written for the test, in the style of the articles where the case was seen (one test reads
a real article from the gold files)."""

from pathlib import Path

from pipeline.enrich.analyse import analyse_text
from pipeline.enrich.evaluate import load_gold, same_speaker
from pipeline.enrich.names import first_name_gender
from pipeline.enrich.quotes import find_quote_spans

GOLD = Path(__file__).resolve().parents[1] / "data" / "gold"


def quotes(text, lang):
    return [(q.text, q.speaker) for q in analyse_text(text, lang).quotes]


def people(text, lang):
    return {e.text: e for e in analyse_text(text, lang).entities if e.label == "PER"}


# -- first names -----------------------------------------------------------------------------

def test_first_name_gender_uses_our_lists_then_the_library():
    assert first_name_gender("Bernie") == "m"  # our list overrides the library's "mostly_female"
    assert first_name_gender("Séverine") == "f"
    assert first_name_gender("Kathleen") == "f"
    assert first_name_gender("Dominique") is None  # androgynous: no guess
    assert first_name_gender("Xq") is None


def test_she_skips_a_man_named_just_before():
    text = ("Hillary Clinton went after Bernie Sanders over his record on Wall Street.\n\n"
            "\"I just absolutely reject that, Senator,\" she said.")
    assert quotes(text, "en") == [("I just absolutely reject that, Senator,", "Hillary Clinton")]


def test_a_wrong_first_name_guess_does_not_block_the_only_candidate():
    text = ("Mayor Satya Rhodes-Conway released a statement on Monday.\n\n"
            "\"I fully support hate crime charges when they are warranted,\" she said.")
    assert quotes(text, "en")[0][1] == "Satya Rhodes-Conway"


# -- names the model misses or garbles -----------------------------------------------------

def test_named_subject_of_a_speech_verb_is_a_person():
    text = ("A striking worker we will call Ana wants to remain anonymous.\n\n"
            "\"We spend so much time away from our families,\" Ana said.")
    assert quotes(text, "en") == [("We spend so much time away from our families,", "Ana")]


def test_titles_are_not_part_of_the_name():
    text = ("Councilman Terence Hill made a motion to table the ordinance.\n\n"
            "\"I think this is going to prohibit my district from being redeveloped,\" Hill said.")
    assert quotes(text, "en")[0][1] == "Terence Hill"


def test_a_middle_initial_is_not_an_honorific():
    found = people("U.S. District Judge Kimba M. Wood announced the penalty on Wednesday.", "en")
    assert "Kimba M. Wood" in found


def test_common_words_before_a_name_are_dropped_not_the_name():
    found = people("Former New York state Senate leader Dean Skelos was sentenced on Wednesday.", "en")
    assert "Dean Skelos" in found


def test_bare_surname_is_the_person_introduced_first():
    text = ("Dean Skelos was sentenced to four years. His son Adam Skelos was sentenced later.\n\n"
            "\"I love him more today than yesterday,\" Skelos said.")
    assert quotes(text, "en")[0][1] == "Dean Skelos"


def test_different_first_names_with_one_initial_are_two_people():
    text = ("\"Ça tape dans les trésoreries\", explique Francois Gauthier, agriculteur à la retraite.\n\n"
            "\"On va essayer de vendre les vaches le plus vite possible\", dit Fabrice Gauthier, éleveur.")
    assert [s for _, s in quotes(text, "fr")] == ["Francois Gauthier", "Fabrice Gauthier"]


def test_name_at_the_end_of_a_role_tagged_as_organisation():
    text = ("Commentant cette déclaration, le ministre de l’Intérieur Hortefeux a précisé qu’il s’agissait "
            "d’une “mesure judiciaire classique, cela permet au gendarme d’avoir accès au dossier”.")
    assert quotes(text, "fr")[0][1] == "Hortefeux"


# -- organisations and documents -----------------------------------------------------------

def test_institution_named_by_kind_and_place_speaks_and_is_resolved_later():
    text = ("Le préfet se rendait à Calais \"pour s'assurer du bon déroulement de l'ouverture\", précise la "
            "préfecture du Pas-de-Calais à France Bleu Nord.\n\n"
            "\"Il est actuellement hospitalisé pour des examens\", précise encore la préfecture\n\n"
            "La voiture roulait vite.")
    assert [s for _, s in quotes(text, "fr")] == ["préfecture du Pas-de-Calais"] * 2


def test_statement_resolved_to_the_name_in_its_noun_phrase():
    text = ("Assemblyman Vito Lopez put out a three-page statement this afternoon. Later, Governor Andrew "
            "Cuomo spoke to reporters.\n\n"
            "\"Salacious and sensational claims in the report are fallacious,\" the Lopez statement says.")
    assert quotes(text, "en")[0][1] == "Vito Lopez"


def test_paragraph_ending_with_a_colon_introduces_the_quotation():
    text = ("Le maire de Lyon, Grégory Doucet, a réuni la presse. Il a déclaré :\n\n"
            "« Nous ne laisserons rien passer et nous porterons plainte. »")
    assert quotes(text, "fr")[0][1] == "Grégory Doucet"


def test_lead_quotation_takes_the_person_introduced_after_it():
    text = ("« Les habitants sont encore choqués. » Jeudi, Geneviève Aubry, maire de la commune, se remet à "
            "peine de ses émotions.\n\nDeux jours plus tôt, elle a vu arriver trente véhicules.")
    assert quotes(text, "fr")[0][1] == "Geneviève Aubry"


# -- quotation marks -----------------------------------------------------------------------

def test_mixed_straight_and_curly_marks_pair_up():
    text = "“We’ve been counting ears,\" says Brian Scott. \"We’re thinking the good stuff is 120.” He farms."
    found = [text[s.start:s.end] for s in find_quote_spans(text, "en")]
    assert found == ["We’ve been counting ears,", "We’re thinking the good stuff is 120."]


def test_reflexive_incise_splits_a_french_quotation():
    text = ("Joël Nowakowski, éleveur, a entamé ses stocks. \"On ne peut pas faire une botte de foin, se plaint-il. "
            "D'habitude, on fait deux coupes\". Il doit vendre ses bêtes.")
    assert quotes(text, "fr") == [("On ne peut pas faire une botte de foin,", "Joël Nowakowski"),
                                  ("D'habitude, on fait deux coupes", "Joël Nowakowski")]


# -- scoring -------------------------------------------------------------------------------

def test_speaker_names_compare_without_a_leading_article():
    assert same_speaker("préfecture du Pas-de-Calais", "la préfecture du Pas-de-Calais")
    assert same_speaker("Elisabeth Borne", "Élisabeth Borne")
    assert not same_speaker("", "Elisabeth Borne")
    assert not same_speaker("Adam Skelos", "Dean Skelos")


# -- who a pronoun means ---------------------------------------------------------------------

def test_person_introduced_with_a_role_is_who_the_next_pronoun_means():
    text = ("Le ministre Stéphane Travert a annoncé des aides mardi.\n\n"
            "Comme Joël Nowakowski, éleveur à Cheptainville, des agriculteurs ont entamé leurs stocks. "
            "\"On ne peut pas faire une botte de foin\", se plaint-il.")
    assert quotes(text, "fr")[-1][1] == "Joël Nowakowski"


def test_a_quotation_closed_after_its_full_stop_ends_the_sentence():
    text = ("\"Ce n'est pas un désaveu\", a ajouté son avocate, Me Clotilde Lepetit. \"Elle a subi un vrai "
            "traumatisme.\" Comme ils l'avaient laissé entendre, les avocats de la défense ont plaidé la publicité.")
    assert [s for _, s in quotes(text, "fr")] == ["Clotilde Lepetit", "Clotilde Lepetit"]


# -- round 3: cases met on the test4 split after its one clean run -------------------------

def test_person_glued_to_a_media_name_by_the_tagger():
    text = ("\"Nous sommes prêts\", a indiqué mercredi matin sur franceinfo André Suzède, maire de Calvisson "
            "dans le Gard.")
    assert quotes(text, "fr")[0][1] == "André Suzède"


def test_pour_x_names_whose_opinion_the_quotation_is():
    text = ("Le maire, Dominique Laurent, a fait le point.\n\n"
            "Pour Dominique Laurent, face au réchauffement climatique, “nous aurons dans les prochaines années "
            "des inondations pires que celles que nous avons connues”.")
    assert quotes(text, "fr")[0][1] == "Dominique Laurent"


def test_institution_with_a_nested_complement_is_one_organisation():
    found = {e.text: e.label for e in analyse_text(
        "La préfecture de police de Paris a annoncé vendredi avoir interdit une manifestation.", "fr").entities}
    assert found.get("préfecture de police de Paris") == "ORG"


def test_speech_participle_takes_the_subject_of_the_reporting_verb():
    text = ("Police union chief Pat Lynch said additional cuts would put the city at risk, adding, “If additional "
            "budget cuts are necessary, the city should make them elsewhere.”")
    assert quotes(text, "en")[0][1] == "Pat Lynch"


def test_a_name_cut_in_two_by_the_tagger_is_joined():
    found = people("“Mr. Stone lied,” US District Judge Amy Berman Jackson said in court.", "en")
    assert "Amy Berman Jackson" in found


def test_interview_answer_below_a_name_line():
    text = ("Jocelyn Gourvennec\n\n«Nous n’étions pas dans le bon tempo ce soir.»\n\n"
            "Francis Gillot\n\n«On n’a pu mettre la manière qu’en première mi-temps. Ensuite, ce fut difficile.»")
    assert [s for _, s in quotes(text, "fr")] == ["Jocelyn Gourvennec", "Francis Gillot"]


def test_the_last_speaker_keeps_the_floor_in_the_next_sentence():
    text = ("\"La nuit a été calme\", a poursuivi André Suzède, le maire. Les prochaines heures vont être "
            "consacrées à faire \"un état des lieux pour constater les dégâts chez les particuliers\".")
    assert [s for _, s in quotes(text, "fr")] == ["André Suzède", "André Suzède"]


# -- round 4: cases met on the test5 split after its one clean run -------------------------

def test_quoted_as_saying_gives_the_one_quoted_and_agencies_are_organisations():
    text = ("Ukrainian President Petro Poroshenko said on Thursday he was ready to agree to a ceasefire.\n\n"
            "\"Tomorrow at 2 p.m., if the planned meeting goes ahead, I will call for a ceasefire,\" Xinhua "
            "quoted Poroshenko as saying.")
    assert quotes(text, "en")[0][1] == "Petro Poroshenko"
    assert {e.text: e.label for e in analyse_text(text, "en").entities}.get("Xinhua") == "ORG"


def test_mr_and_ms_with_one_surname_are_two_people():
    text = ("Garrath Stewart and his wife lost their home in the fire.\n\n"
            "On Friday, Mr Stewart, 55, took a bus ride to see his property.\n\n"
            "“The washing I’d thought about taking off the line was still there,” he told AAP.\n\n"
            "Ms Stewart, a school dental therapist, said she still felt up and down.")
    assert quotes(text, "en")[0][1] == "Garrath Stewart"
    assert "Garrath Stewart" in people(text, "en") and people(text, "en")["Garrath Stewart"].count == 2


def test_tagger_taking_the_preposition_in_still_makes_the_institution():
    text = ("L'homme a été placé en hôpital psychiatrique, selon le parquet de Lille.\n\n"
            "Un examen a conclu que \"son état était incompatible avec la garde à vue\", selon le parquet.")
    assert quotes(text, "fr")[0][1] == "parquet de Lille"


def test_name_after_a_role_between_commas_closes_the_subject():
    text = ("Le porte-parole militaire, le colonel Abdoulaye Maiga, a déclaré lundi que « le gouvernement "
            "condamne fermement ces sanctions ».")
    assert quotes(text, "fr")[0][1] == "Abdoulaye Maiga"


def test_selon_at_the_end_of_the_sentence_names_the_source():
    text = ("Depuis lundi, les enquêteurs ont effectué \"tout un travail sur l'ADN\" du suspect, selon le ministre "
            "de l'Intérieur Manuel Valls.")
    assert quotes(text, "fr")[0][1] == "Manuel Valls"


def test_relative_clause_subject_names_the_speaker_and_portuguese_particles():
    text = ("Même sentiment chez l'autre avocat, Me Tulasne, qui affirme qu'il pensait \"avoir tout vu de la nature "
            "humaine\".\n\nDans un communiqué, Tony do Rio, le directeur de la firme, a indiqué que : \"Nous avons "
            "immédiatement stoppé la production\".")
    assert [s for _, s in quotes(text, "fr")] == ["Tulasne", "Tony do Rio"]


def test_alleged_is_a_speech_verb():
    text = ("Chief Minister Shivraj Singh Chouhan on Monday alleged that the Secretariat had become a hub of "
            "\"dalals\" during the Congress rule.")
    assert quotes(text, "en")[0][1] == "Shivraj Singh Chouhan"


# -- round 5: organisations referred to by a pronoun ---------------------------------------

def test_a_plural_pronoun_after_an_organisation_is_that_organisation():
    text = ("Les Jeunes Agriculteurs de la Lozère ont alerté la préfecture mardi.\n\n"
            "« Tout le département est touché, s’indignent-ils. Des contreforts de l’Aubrac jusqu'à Grandrieu. »")
    assert (quotes(text, "fr")[0][1] or "").startswith("Jeunes Agriculteurs")


def test_elle_after_a_feminine_organisation_but_not_after_a_plural_one():
    text = ("La SNCF a annoncé jeudi l'annulation de la moitié des trains.\n\n"
            "Ses \"ressources étant plus contraintes, notamment sur les postes d'aiguillage\", a-t-elle expliqué.")
    assert quotes(text, "fr")[0][1] == "SNCF"
    text = ("Le député Nicolas Turquois raconte l'altercation. Il explique que les Insoumis ont fait circuler "
            "une liste. Il estime être ciblé : \"C'est plutôt des insultes, ce n'est pas acceptable.\"")
    assert quotes(text, "fr")[0][1] == "Nicolas Turquois"


def test_person_after_an_organisation_in_an_inverted_subject():
    text = "“Doing research is important,” said Weber State University zoology professor John Mull."
    assert quotes(text, "en")[0][1] == "John Mull"


def test_honorific_makes_a_person_and_datelines_are_not_names():
    text = ("Speaking to the BBC News website, Dr Gibbons said the meeting had been \"fairly constructive\".\n\n"
            "\"I don't want to discuss what went on in a private meeting,\" he said.")
    assert [s for _, s in quotes(text, "en")] == ["Gibbons", "Gibbons"]
    found = {e.text for e in analyse_text(
        "Johannesburg - The Department of Education said schools would close on Friday.", "en").entities}
    assert not any(t.startswith("Johannesburg -") for t in found)


def test_a_past_participle_used_as_an_adjective_is_no_cue():
    text = ("L'homme interpellé est \"à ce stade\" considéré comme le suspect \"principal\" de l'attaque, a déclaré "
            "le Premier ministre, Edouard Philippe.")
    assert [s for _, s in quotes(text, "fr")] == ["Edouard Philippe", "Edouard Philippe"]


# -- round 6: cases met on the test7 split after its one clean run -------------------------

def test_role_then_named_holder_after_a_comma():
    text = ("\"On déborde depuis longtemps\", assure le chef des urgences du centre hospitalier de Vichy, "
            "le Dr David Dall'Aqua.")
    assert quotes(text, "fr")[0][1] == "David Dall'Aqua"


def test_organisation_named_after_its_kind_and_its_relative_clause():
    text = ("Ces enseignants dénoncent \"les pressions abusives de leur chef d'établissement\", selon le syndicat "
            "SNES-FSU, qui estime que la médiation \"n'a rien donné\".")
    assert [s for _, s in quotes(text, "fr")] == ["SNES-FSU", "SNES-FSU"]


def test_lone_first_name_taken_for_a_place_is_a_person_when_the_text_says_so():
    text = ("Hassan, qui habite au premier étage de l’immeuble, a échappé aux flammes. \"La fumée entrait par la "
            "porte\", explique-t-il.")
    assert quotes(text, "fr")[0][1] == "Hassan"


# -- round 7: cases met on the test8 split after its one clean run -------------------------

def test_an_acronym_joins_the_organisation_it_abbreviates():
    text = ("The Environment Agency has rejected the criticism of its flood work.\n\n"
            "The EA said the comments were \"ill-informed and unfair\" to its staff.")
    found = {e.text: e for e in analyse_text(text, "en").entities if e.label == "ORG"}
    assert "EA" not in found and found["Environment Agency"].count == 2


def test_a_leading_initial_is_part_of_an_english_name():
    assert "D. Billy Jones" in people("Assembly leader D. Billy Jones said the vote was overdue.", "en")


def test_who_comes_after_told_is_the_listener():
    text = "\"I hope you rot in jail,\" Dale Russell told Halifax reporters after the verdict."
    assert quotes(text, "en")[0][1] == "Dale Russell"


# -- round 3 (test9) ---------------------------------------------------------------------------

def test_a_name_after_a_closing_question_mark_is_the_speaker_not_a_new_sentence():
    text = ("Dakota Spicer, 24, was spared jail. Judge Stephen Dougherty commended the deal.\n\n"
            "Spicer wasn't happy.\n\n"
            "\"Are you planning on violating probation?\" Dougherty asked him.")
    assert quotes(text, "en") == [("Are you planning on violating probation?", "Stephen Dougherty")]


def test_a_full_name_tagged_as_a_place_is_a_person_when_given_an_age():
    text = ("Dakota Spicer, 24, was spared jail on Monday.\n\n"
            "\"Why can't I just get a year in jail now?\" Spicer asked.")
    assert "Dakota Spicer" in people(text, "en")
    assert quotes(text, "en")[0][1] == "Dakota Spicer"


def test_councillor_title_and_kinship_words_are_not_part_of_names():
    text = ("The library opened yesterday.\n\n"
            "Mum-of-four Tracey Tomlinson, volunteer coordinator, said: \"Everyone has worked so hard to make "
            "sure that this is a success.\"\n\n"
            "Cllr Sue Coakley opened the library. \"It is a hub for the community,\" Cllr Coakley said.")
    found = people(text, "en")
    assert "Mum" not in found and "Sue Coakley" in found
    assert [s for _, s in quotes(text, "en")] == ["Tracey Tomlinson", "Sue Coakley"]


def test_an_irish_surname_with_an_apostrophe_stays_whole():
    text = "Ward councillor Tim O’Kane welcomed the opening. He said: \"I am all in favour of it.\""
    assert "Tim O’Kane" in people(text, "en")


def test_pour_x_in_the_next_paragraph_does_not_claim_a_quotation():
    text = ("Des policiers se sont rassemblés dimanche.\n\n"
            "A ses côtés, Benoît, 35 ans, « en a marre de cette haine et de l’impunité des délinquants ».\n\n"
            "Pour Frédéric Lagache, numéro 2 du syndicat Alliance, « rien ne change ! »")
    assert [s for _, s in quotes(text, "fr")] == ["Benoît", "Frédéric Lagache"]


def test_a_name_line_with_a_role_in_brackets_introduces_the_quotation():
    text = ("Les réactions après le match.\n\n"
            "Karl Chateau (capitaine de Vannes): « On connaissait les risques de venir à Toulon. »\n\n"
            "Pierre Mignoni (directeur du rugby de Toulon): « Bizarrement, ça a été mieux après le carton rouge. »\n\n"
            "Arnaud Démare (FRA - Groupama-FDJ), 3e :\n\n"
            "« J'y ai cru. L'équipe a encore fait un magnifique travail. »")
    assert [s for _, s in quotes(text, "fr")] == ["Karl Chateau", "Pierre Mignoni", "Arnaud Démare"]


# -- round 4 (test10) --------------------------------------------------------------------------

def test_letters_after_a_name_are_not_part_of_it():
    text = ("Waiting times rose again in Wales.\n\n"
            "Health Minister Eluned Morgan MS said: \"Despite significant demand, we made progress.\"\n\n"
            "\"I am disappointed to see long stays,\" Morgan concluded.")
    assert [s for _, s in quotes(text, "en")] == ["Eluned Morgan", "Eluned Morgan"]


def test_the_name_in_apposition_to_a_role_subject_speaks():
    text = ("Commenting on the report, Welsh Conservative Shadow Minister for Health, Darren Millar AM, said:\n\n"
            "\u201cThis is yet more evidence that Welsh patients are getting a raw deal.\u201d")
    assert quotes(text, "en")[0][1] == "Darren Millar"


def test_a_title_before_a_speaking_name_is_dropped():
    text = ("Speaking to TNIE, Inspector K Satish Reddy said, \u201cNone of us had visited that area before.\u201d")
    assert quotes(text, "en")[0][1] == "K Satish Reddy"


def test_names_cut_at_an_apostrophe_or_a_hyphen_stay_whole():
    text = ("Le match s'est terminé tard. L'entraîneur Michel Preud'homme a dit : « Une drôle de victoire. » "
            "Le directeur François-Xavier Bonneville explique : « C'est majeur. »")
    assert [s for _, s in quotes(text, "fr")] == ["Michel Preud'homme", "François-Xavier Bonneville"]


def test_a_verbless_clause_before_a_colon_gives_its_person():
    text = ("Dans un autre établissement primaire dakarois, l’institutrice Mathilde Ndiaye est, elle, en pleine "
            "leçon ce mercredi matin : « J’ai le droit de faire grève, mais les enfants aussi ont le droit à "
            "l’éducation. »")
    assert quotes(text, "fr")[0][1] == "Mathilde Ndiaye"


def test_the_institute_is_the_only_organisation_named_just_before():
    text = ("Les conditions pourraient empirer. Selon l’IRM, notre territoire pourrait passer en vigilance orange. "
            "C’est l’IRM qui l’annonce sur son site. « En effet, nous pourrons facilement dépasser les 40 l/m² "
            "en une heure », explique l’institut.")
    assert quotes(text, "fr")[0][1] == "IRM"


def test_a_subject_after_a_complement_a_comma_or_a_time_and_place():
    text = ("Les deux adolescents ont été placés en détention. “Une mesure rare pour des mineurs sans antécédent "
            "judiciaire”, explique à TNTV, la procureure de la République Solène Belaouar.\n\n"
            "« Le mouvement est suivi partout. Tout est à l’arrêt », précisait ce jeudi matin à la gare de "
            "Bruxelles-Midi le secrétaire national CGSP Cheminots, Pierre Lejeune.")
    assert [s for _, s in quotes(text, "fr")] == ["Solène Belaouar", "Pierre Lejeune"]


# -- round 5 (test11) --------------------------------------------------------------------------

def test_a_bare_surname_tagged_as_a_place_is_the_person_with_that_surname():
    text = ("Republican challenger Ed Gillespie has conceded the race to Sen. Mark Warner.\n\n"
            "\"This is obviously a hard-fought race,\" Gillespie told reporters.")
    assert quotes(text, "en")[0][1] == "Ed Gillespie"


def test_an_occupation_before_a_name_is_not_part_of_it():
    text = ("The clinic will close in May.\n\n"
            "Nurse Vicky Morris said: \"This is set against increasing demand for emergency care.\"")
    assert quotes(text, "en")[0][1] == "Vicky Morris"


def test_the_person_opening_the_sentence_says_a_cueless_quotation():
    text = "Maxence, 18 ans, n’a aucun doute, \"il faut laisser l’université gratuite\"."
    assert quotes(text, "fr")[0][1] == "Maxence"


# -- round 6 (test12) --------------------------------------------------------------------------

def test_a_role_named_right_after_the_verb_with_its_holder_after_a_date_and_a_channel():
    text = ("\"J'ai du mal à comprendre cette grève. C'est une grève par habitude\", a déploré lundi 7 septembre "
            "sur franceinfo le ministre délégué aux Transports Jean-Baptiste Djebbari, à propos du préavis.")
    assert quotes(text, "fr")[0][1] == "Jean-Baptiste Djebbari"


def test_hyphenated_first_names_are_first_names():
    assert first_name_gender("Jean-Baptiste") == "m"
    assert first_name_gender("Marie-Claire") == "f"


# -- round 7 (test13) --------------------------------------------------------------------------

def test_a_role_with_a_bracketed_acronym_then_the_name():
    text = ("\"Je sors victorieux de cette élection dès le premier tour\", a déclaré devant la presse M. Diallo.\n\n"
            "\"Il n'appartient ni à un candidat ni à une personne de s'autoproclamer vainqueur\", a répliqué le "
            "numéro 2 de la Commission électorale nationale indépendante (Céni), Bakary Mansaré, interrogé par l'AFP.")
    assert [s for _, s in quotes(text, "fr")] == ["Diallo", "Bakary Mansaré"]


def test_a_participle_speaks_for_the_source_opening_its_sentence():
    text = ("Laurent Brun a expliqué la grève.\n\n"
            "Selon Didier Aubert, de la CFDT, c’est « un message fort et unitaire qu’on envoie au gouvernement », "
            "rappelant que « le statut des cheminots n’est pas le sujet de la réforme ferroviaire ».")
    assert [s for _, s in quotes(text, "fr")] == ["Didier Aubert", "Didier Aubert"]


def test_the_person_a_narrative_infinitive_acts_on_does_not_speak():
    text = ("« C'est une aberration », a-t-il résumé, Philippe Martinez, le secrétaire général de la CGT.\n\n"
            "Puis de fustiger Emmanuel Macron : « Considérer que parce qu'il est élu tout le monde est d'accord, "
            "il a déjà fait le coup. »")
    assert quotes(text, "fr")[-1][1] != "Emmanuel Macron"


def test_l_ong_is_the_organisation_just_named():
    text = ("Greenpeace a déployé une banderole. « Avec cette action, Greenpeace s'adresse directement à "
            "Emmanuel Macron », a expliqué dans un communiqué l'ONG.")
    assert quotes(text, "fr")[0][1] == "Greenpeace"


# -- round 8 (test14) --------------------------------------------------------------------------

def test_name_lines_with_a_bracketed_role_introduce_the_answer_below():
    text = ("Résultats de la 37e journée.\n\nAntoine Kombouaré (entraîneur de Dijon)\n\n"
            "« Ce que fait Caen est le cadet de mes soucis. »\n\nPSG – Dijon 4-0\n\n"
            "Bruno Genesio (entraîneur de Lyon)\n\n« C’est mérité sur l’ensemble de la saison. »")
    assert [s for _, s in quotes(text, "fr")] == ["Antoine Kombouaré", "Bruno Genesio"]


def test_an_inverted_subject_after_a_participle():
    text = ("Le motard est mort.\n\n\"Je viens de perdre un des miens\" nous a confié ému le colonel Massip, "
            "commandant le groupement de gendarmerie du Morbihan.")
    assert quotes(text, "fr")[0][1] == "Massip"


# -- round 9 (test15) --------------------------------------------------------------------------

def test_a_surname_with_a_particle_is_the_person_whose_full_name_ends_with_it():
    text = ("Le gouverneur François Villeroy de Galhau a parlé lundi. « Un peu plus d'inflation et un peu moins "
            "de croissance », a estimé Villeroy de Galhau.")
    assert quotes(text, "fr")[0][1] == "François Villeroy de Galhau"


def test_a_masculine_role_noun_skips_a_woman_named_since():
    text = ("\"Le plus sûr serait de déposer le beffroi\", a indiqué Patrick Bloche, premier adjoint à la maire "
            "de Paris, Anne Hidalgo.\n\n"
            "\"Ce qu'il y a de plus stressant, c'est de savoir s'il va tenir\", a ajouté l'élu.")
    assert [s for _, s in quotes(text, "fr")] == ["Patrick Bloche", "Patrick Bloche"]


# -- round 10 (test16) -------------------------------------------------------------------------

def test_institutions_that_speak_are_organisations():
    text = ("Le feu a pris vers 16h. « Les pompiers ont encore plusieurs heures devant eux », annonce la "
            "gendarmerie présente sur les lieux.\n\n"
            "Après la gifle, l'Élysée a assuré à LCI qu'il n'était pas question de changer : "
            "« Cela ne change rien ».\n\n"
            "« Cette manifestation n’avait pas fait l’objet de la déclaration préalable », a indiqué la préfecture "
            "de police.")
    assert [s for _, s in quotes(text, "fr")] == ["gendarmerie", "Élysée", "préfecture de police"]


# -- round 11 (all fresh splits, session 4) ----------------------------------------------------

def test_a_quotation_paragraph_goes_to_the_person_introduced_just_before_it():
    text = ("« C'était quelque peu bizarre », a affirmé David Desharnais.\n\n"
            "Le défenseur Pernell Subban a dit souhaiter que son coéquipier soit correct.\n\n"
            "« Je ne sais rien. Je ne l'ai pas vu. J'espère que ce n'est rien de sérieux. »")
    assert [s for _, s in quotes(text, "fr")] == ["David Desharnais", "Pernell Subban"]


def test_a_quotation_paragraph_goes_on_with_the_speaker_when_the_sentence_between_is_about_someone_else():
    # "on" is nobody, and the subject of a subordinate clause does not introduce the speaker
    text = ("« Nous avons bien joué », a déclaré l'entraîneur Paul Martin.\n\n"
            "Alors qu'on attendait Pierre Durand, le match a basculé en fin de rencontre.\n\n"
            "« Il faudra tout donner samedi face à Lyon. »")
    assert [s for _, s in quotes(text, "fr")] == ["Paul Martin", "Paul Martin"]


def test_reflexive_incises_and_an_adverb_before_the_subject_split_the_quotation():
    text = ("Maria Sakkari a battu Iga Swiatek en deux sets ce mercredi.\n\n"
            "« C'est une très belle réussite, s'est réjouie Sakkari après la rencontre. Mais je ne veux pas "
            "m'emballer. »\n\n"
            "« Le classement ne veut rien dire, nuance toutefois Sakkari. C'est une surprise pour tout le monde. »")
    assert [(t.rstrip(","), s) for t, s in quotes(text, "fr")] == [
        ("C'est une très belle réussite", "Maria Sakkari"),
        ("Mais je ne veux pas m'emballer.", "Maria Sakkari"),
        ("Le classement ne veut rien dire", "Maria Sakkari"),
        ("C'est une surprise pour tout le monde.", "Maria Sakkari"),
    ]


def test_d_apres_names_the_source_although_the_tokenizer_cuts_it_in_two():
    text = ("D'après le parquet de Bordeaux, les enquêteurs ont fait un rapprochement avec « d'autres départs de "
            "feux constatés sur la même zone le même jour », ainsi qu'avec « trois autres départs de feux ».")
    assert quotes(text, "fr") == [("d'autres départs de feux constatés sur la même zone le même jour",
                                   "parquet de Bordeaux"),
                                  ("trois autres départs de feux", "parquet de Bordeaux")]


def test_a_title_after_its_work_noun_and_a_comma_is_not_a_quotation():
    text = ("Such is the nature of art, according to Tina Howe's play, “Museum,” which will be presented "
            "by the drama department next month.")
    assert quotes(text, "en") == []


def test_the_end_of_a_team_or_agency_name_glued_before_a_person_leaves_the_name():
    names = people("L'entraîneur du Castres Olympique Christophe Urios était satisfait. Sir Richard Dalton "
                   "a parlé aussi, comme la juge Kimba M. Wood.", "fr")
    assert "Christophe Urios" in names
    assert not any(n.startswith("Olympique") for n in names)


def test_a_lone_first_name_that_acts_is_a_person_but_not_a_town_or_a_country():
    text = ("Même Mélanie, guichetière, ne trouve aucun avantage à cette réforme : « Je suis de la génération "
            "1976, la première à la subir. »\n\n"
            "À La Rochelle, Pau a totalement sombré. La France a perdu.")
    found = people(text, "fr")
    assert "Mélanie" in found
    assert "Pau" not in found and "France" not in found


def test_institutions_named_by_kind_with_their_complement_speak():
    text = ("La présidence ukrainienne a dénoncé jeudi une \"provocation délibérée\" de Moscou.\n\n"
            "\"Israël rejette la déclaration commune\", a indiqué le ministère israélien des Affaires étrangères.\n\n"
            "L'intersyndicale appelle les salariés à faire du 1er mai une "
            "\"journée de mobilisation exceptionnelle\".\n\n"
            "« Les pompiers sont toujours là », annonce la gendarmerie présente sur les lieux.")
    assert [s for _, s in quotes(text, "fr")] == [
        "présidence ukrainienne", "ministère israélien des Affaires étrangères", "intersyndicale", "gendarmerie"]


def test_an_acronym_made_of_every_long_word_joins_the_full_name():
    text = ("Le Service de police de la Ville de Montréal a ouvert une enquête. « Nous ne ferons aucun "
            "commentaire », a indiqué le SPVM.")
    assert quotes(text, "fr")[0][1] == "Service de police de la Ville de Montréal"


def test_a_surname_that_speaks_makes_the_full_name_a_person_whatever_the_tagger_said():
    text = ("Ultimately, rally organizers allowed Johnetta Elzie of St. Louis to address the crowd.\n\n"
            "\"I thought there was going to be actions, not a show,\" Elzie said.")
    assert quotes(text, "en") == [("I thought there was going to be actions, not a show,", "Johnetta Elzie")]


def test_a_verb_glued_before_a_name_leaves_it():
    text = ("\"It looks like the problem's been solved,\" said Darren Manning, who lives nearby.")
    found = people(text, "en")
    assert not any(name.startswith("Said") or name.startswith("said") for name in found)


def test_a_named_speech_subject_tagged_as_an_organisation_is_a_person():
    text = ("Opposition leader Sam Rainsy said the vote was rigged.\n\n"
            "Government spokesman Phay Siphan said the announcement by the opposition was typical in the "
            "country’s elections.\n\n"
            "“The opposition party uses this game after every election,” he said.")
    assert quotes(text, "en")[0][1] == "Phay Siphan"


def test_a_pronoun_cue_goes_to_the_person_of_the_pour_that_opens_its_sentence():
    text = ("« Ils ont été passés à tabac », a dit Alain Dupuis, un voisin.\n\n"
            "Pour Frédéric Lagache, numéro 2 du syndicat de police Alliance, « à chaque fois, on entend la même "
            "chose », déplore-t-il.")
    assert [s for _, s in quotes(text, "fr")] == ["Alain Dupuis", "Frédéric Lagache"]


def test_honorifics_and_school_years_before_a_name_stay_out_of_the_fullest_form():
    text = ("Senior Kaden Groom knows that the team has more to offer.\n\n"
            "“We had spots where we were sluggish,” Groom said.\n\n"
            "THE Minister of Information, Alhaji Mohammed Idris says reforms are coming. "
            "“You heard what the President had said,” Idris said.")
    assert [s for _, s in quotes(text, "en")] == ["Kaden Groom", "Mohammed Idris"]


def test_a_dateline_does_not_stop_a_quotation_from_leading_its_paragraph():
    text = ("MONTRÉAL – « L’équipe qui a joué le meilleur match ce soir a gagné. On va prendre le point. » "
            "Martin St-Louis a décortiqué ce revers de 5-4.")
    assert quotes(text, "fr")[0][1] == "Martin St-Louis"


def test_a_french_subject_before_a_cue_beats_the_object_after_its_verb():
    text = ("Concernant le Venezuela, le président français Emmanuel Macron a qualifié le régime de son homologue "
            "Nicolas Maduro de \"dictature\".\n\n"
            "Au cours de la nuit, 25 policiers ont été blessés, a encore dit M. Darmanin, en apportant \"tout son "
            "soutien aux personnels blessés\".")
    assert [s for _, s in quotes(text, "fr")] == ["Emmanuel Macron", "Darmanin"]


# -- after the test18 first run ----------------------------------------------------------------

def test_a_person_after_a_speech_verb_and_a_title_is_the_role_named_before():
    # a real article (gold test15): "a dit le ministre" before "a encore dit M. Darmanin"
    doc = next(d for d in load_gold(GOLD / "test15-fr-a.json") if d.id == "t15-fr-a11")
    said = dict(quotes(doc.text, "fr"))
    assert said["45.400 contrôles"] == "Darmanin"
    assert said["6.650 verbalisations pour non-respect du couvre-feu"] == "Darmanin"


def test_commencer_opens_an_incise():
    text = ("Le maire l'a appris à 6h12.\n\n"
            "\"La gendarmerie m'a appelé pour savoir si j'avais un local, commence Daniel Chevée. J'ai essayé "
            "d'en savoir plus.\"")
    assert [s for _, s in quotes(text, "fr")] == ["Daniel Chevée", "Daniel Chevée"]


def test_council_and_parliament_titles_leave_the_name():
    found = people("Leeds council leader Coun Keith Wakefield said the cuts were \"brutal\". "
                   "Speaker Bronwyn Bishop ruled the question out of order.", "en")
    assert "Keith Wakefield" in found and "Bronwyn Bishop" in found


def test_a_name_with_a_title_tagged_as_a_whole_or_with_a_hyphen_is_found_as_the_speaker():
    text = ("\"If he misled Canadians then it must be known,\" Liberal MP Stephane Dion said Friday.\n\n"
            "Senior Minister, Yaw Osafo-Maafo, said the declaration was appropriate.\n\n"
            "“We are the only major country without an agency,” Dr Osafo-Maafo said.")
    assert [s for _, s in quotes(text, "en")] == ["Stephane Dion", "Yaw Osafo-Maafo"]


# -- after the test19 and test20 first runs ----------------------------------------------------

def test_a_venue_named_after_a_person_is_no_speaker():
    text = ("Margaux Rouvroy a gagné son premier match à Roland-Garros.\n\n"
            "« C'est top d'avoir ouvert ce court », a-t-elle confié à Roland-Garros.")
    assert quotes(text, "fr")[0][1] == "Margaux Rouvroy"
    assert "Roland-Garros" not in people(text, "fr")


def test_judicial_and_police_titles_leave_the_name():
    found = people("Justice Athar Minallah asked the lawyer a question. Supt Brendan Fogarty said leave was "
                   "cancelled.", "en")
    assert "Athar Minallah" in found and "Brendan Fogarty" in found


# -- session 5, after reading the test18 to test21 errors ------------------------------------

def test_an_unnamed_spokeswoman_is_not_the_man_named_later():
    text = ("La fermeture « interviendra fin mai », a précisé une porte-parole de la direction.\n\n"
            "« Quelques salariés travaillent encore sur place », a-t-elle indiqué.\n\n"
            "« C'est la fin d'une histoire », a réagi auprès de l'AFP Franck Bizet, délégué CGT.\n\n"
            "« On s'y attendait », a-t-il poursuivi.")
    assert [s for _, s in quotes(text, "fr")] == [None, None, "Franck Bizet", "Franck Bizet"]


def test_a_verbless_label_names_the_speaker_of_the_quotation_after_it():
    text = ("Les réactions des entraîneurs après les matchs de samedi soir.\n\n"
            "Le plus remonté : Fabien Mercadal (entraîneur de Caen)\n\n"
            "« Rien n'est fait mathématiquement, on a le devoir de jouer chaque minute à fond. »\n\n"
            "Le plus heureux : Stéphane Moulin (entraîneur d'Angers)\n\n"
            "« Ce soir, je suis très satisfait pour plusieurs raisons. »\n\n"
            "Le plus fataliste : Lucien Favre (Nice)« Les passes c'est bien, mais il faut du dribble. »"
            "Le plus pragmatique : Gustavo Poyet (Bordeaux)« On n'a pas été magnifique avec le ballon. »")
    assert [s for _, s in quotes(text, "fr")] == ["Fabien Mercadal", "Stéphane Moulin", "Lucien Favre",
                                                  "Gustavo Poyet"]


def test_prevoir_reports_a_forecast():
    text = ("« Moi, j'ai une petite retraite », témoigne un homme.\n\n"
            "Des produits d'hygiène baissent\n\n"
            "« Ça va mettre entre six et huit mois », prévoit Rodolphe Bonnasse, expert consommation.")
    assert [s for _, s in quotes(text, "fr")] == [None, "Rodolphe Bonnasse"]


def test_a_quotation_opening_its_paragraph_goes_to_the_person_named_as_subject_just_after():
    text = ("Vincent Lindon et Jacques Audiard ont été récompensés à Cannes pour Dheepan.\n\n"
            "\"C'est la première fois que je reçois un prix\" et \"c'est l'un des plus beaux jours de ma vie\". "
            "Ému, Vincent Lindon a dédié son prix \"aux citoyens laissés pour compte\".")
    assert [s for _, s in quotes(text, "fr")] == ["Vincent Lindon"] * 3


def test_an_institution_named_by_its_kind_speaks_under_its_fullest_name():
    text = ("L'armée israélienne a revendiqué une frappe à Beyrouth.\n\n"
            "« Il n'y a pour l'heure aucun changement dans les directives », ajoute l'armée.")
    assert quotes(text, "fr") == [("Il n'y a pour l'heure aucun changement dans les directives",
                                   "armée israélienne")]


def test_an_authority_the_tagger_took_for_a_place_is_an_organisation():
    text = ("Manifestations : la Municipalité veut ouvrir le dialogue\n\n"
            "Dans un communiqué diffusé vendredi, la Municipalité lausannoise dit avoir entendu "
            "«des récits manifestement très différents».")
    organisations = {e.text for e in analyse_text(text, "fr").entities if e.label == "ORG"}
    assert "Municipalité lausannoise" in organisations
    text = "Manifestations à Lausanne\n\nLa Municipalité de Lausanne veut « ouvrir le dialogue » avec eux."
    organisations = {e.text for e in analyse_text(text, "fr").entities if e.label == "ORG"}
    assert "Municipalité de Lausanne" in organisations  # "La" before it is no capitalised name


def test_a_person_in_brackets_on_the_label_line_is_not_the_speaker():
    text = ("Roland-Garros : elles ont dit…\n\n"
            "Serena Williams (victorieuse de Yanina Wickmayer) :\n\n"
            "« J'avais besoin de travailler avec quelqu'un qui sait me gérer. »\n\n"
            "Simona Halep (victorieuse de Naomi Osaka) :\n\n"
            "« C'était un match difficile et je suis très contente de m'en sortir. »")
    assert [s for _, s in quotes(text, "fr")] == ["Serena Williams", "Simona Halep"]


def test_celui_qui_is_no_name():
    text = ("Alors qu'Emmanuel Macron entame son troisième mois à l'Élysée, le président de la République "
            "poursuit les rencontres diplomatiques.\n\n"
            "Celui qui affirme passer « la moitié de son temps sur les sujets internationaux » a dévoilé "
            "plusieurs points de ses conversations avec le président américain Donald Trump.")
    assert quotes(text, "fr") == [("la moitié de son temps sur les sujets internationaux", "Emmanuel Macron")]
    assert "Celui" not in people(text, "fr")


def test_a_lone_first_name_tagged_misc_is_a_person_the_role_can_point_to():
    text = ("Le préfet a ordonné l'arrêt du parc éolien. Pour Aurélie et sa famille, qui s'étaient installés "
            "dans un ancien couvent de la commune, la situation était devenue invivable.\n\n"
            "\"C'est une machine à laver dehors, en permanence\", raconte la jeune femme.")
    assert "Aurélie" in people(text, "fr")
    assert quotes(text, "fr") == [("C'est une machine à laver dehors, en permanence", "Aurélie")]


def test_a_name_cut_short_by_the_tagger_joins_the_full_name():
    text = ("Me Carine Durrieu, avocate de l'une des plaignantes, a réagi.\n\n"
            "« Elles ont le sentiment d'avoir été entendues », souligne Me Carine Durrieu Diebolt.")
    found = people(text, "fr")
    assert "Carine Durrieu Diebolt" in found and "Carine Durrieu" not in found
    assert quotes(text, "fr")[0][1] == "Carine Durrieu Diebolt"


def test_aupres_de_the_agency_is_an_adjunct_before_the_inverted_subject():
    text = ("La CGT organise jeudi une nouvelle journée d'action.\n\n"
            "« On tenait à ce qu'il n'y ait pas de pause totale pendant les congés », reconnaît auprès de "
            "l'AFP la secrétaire confédérale Céline Verzeletti.")
    assert quotes(text, "fr")[0][1] == "Céline Verzeletti"


def test_a_name_set_after_a_noun_complement_does_not_take_the_floor():
    # a real article (gold test21): "…, a accusé devant la presse Fodé Oussou Fofana, directeur de
    # campagne de son principal opposant, Cellou Dalein Diallo. ¶ «…», a-t-il détaillé."
    doc = next(d for d in load_gold(GOLD / "test21-fr-a.json") if d.id == "t21-fr-a13")
    said = {text[:30]: speaker for text, speaker in quotes(doc.text, "fr")}
    assert said["Les administrateurs territoria"] == "Fodé Oussou Fofana"


def test_a_party_before_a_role_noun_is_no_person_and_cllr_is_a_title():
    text = ("Councillor Mark Wilkes said the council had no head of planning.\n\n"
            "He directed remarks at the Labour opposition.\n\n"
            "The Lib Dem councillor added: \"Perhaps members opposite would be happy for this.\"")
    assert quotes(text, "en")[-1][1] == "Mark Wilkes"
    assert "Lib Dem" not in people(text, "en")
    text = ("Cllr Gavin Callaghan said: \"It is unacceptable.\"\n\n"
            "However, the leader of the Conservatives Group, Cllr Phil Turner, told Local Government Lawyer "
            "that the move was \"absolutely outrageous\" and a move to deflect Cllr Callaghan's own failings.")
    assert quotes(text, "en")[-1] == ("absolutely outrageous", "Phil Turner")


def test_an_age_noun_points_back_to_the_person():
    text = ("Jean Dupont, 52 ans, a été interpellé samedi à Lyon.\n\n"
            "Devant le tribunal, la magistrate l'a longuement interrogé.\n\n"
            "« Je regrette tout », a déclaré le quinquagénaire.")
    assert quotes(text, "fr") == [("Je regrette tout", "Jean Dupont")]


def test_a_signature_line_under_the_quotation_names_its_speaker_but_a_tweet_byline_does_not():
    text = ("Who said what at Wimbledon on Tuesday:\n\n"
            "\"First of all I am going to have a beer probably.\"\n\n"
            "-- Elina Svitolina on her plans to celebrate.\n\n"
            "\"I had these little chances that in the end I didn't make.\"\n\n"
            "-- Andrey Rublev after his defeat.")
    assert [s for _, s in quotes(text, "en")] == ["Elina Svitolina", "Andrey Rublev"]
    text = ("Emmanuel Macron a été interpellé par un homme.\n\n"
            "\"Vous êtes quand même gonflés\"\n"
            "— BFMTV (@BFMTV) June 3, 2021\n\n"
            "Plus tard, le président a discuté avec un opposant.")
    assert quotes(text, "fr")[0][1] != "BFMTV"


def test_a_role_written_before_a_name_stops_at_a_conjunction():
    # a real article (gold test21): "L'avocat d'Oscar Pistorius avait lui plaidé pour une peine
    # d'intérêt général. Mais la juge Thokozile Masipa a estimé …": her role starts after "Mais"
    doc = next(d for d in load_gold(GOLD / "test21-fr-a.json") if d.id == "t21-fr-a01")
    said = {text[:30]: speaker for text, speaker in quotes(doc.text, "fr")}
    assert said["La décision est la mienne, et "] == "Thokozile Masipa"


def test_taoiseach_is_a_title_before_the_name():
    found = people("Taoiseach Leo Varadkar said the broadcaster must restore public trust.", "en")
    assert "Leo Varadkar" in found and "Taoiseach Leo Varadkar" not in found


def test_after_monsieur_a_capitalised_le_starts_the_surname():
    text = ("Bercy se félicite du recul de l'inflation.\n\n"
            "\"La réponse est non\", a estimé M. Le Maire.\n\n"
            "\"Nous sommes en train de gagner ce combat\", a ajouté le ministre.")
    assert [s for _, s in quotes(text, "fr")] == ["Le Maire", "Le Maire"]


def test_monsieur_is_a_title_not_a_name():
    text = ("Le conseil municipal a débattu des finances.\n\n"
            "\"Le débat illustre à merveille les choix\", a lancé Monsieur Nicolas Feat.")
    assert quotes(text, "fr") == [("Le débat illustre à merveille les choix", "Nicolas Feat")]
    assert "Monsieur" not in people(text, "fr")


def test_passenger_and_councilmember_are_descriptions_and_sc_is_a_post_nominal():
    found = people("Passenger Luke Wheeldon said there was no warning. Councilmember Willie Lightfoot asked "
                   "a question. Anthony Sammon SC said that was not true.", "en")
    assert {"Luke Wheeldon", "Willie Lightfoot", "Anthony Sammon"} <= set(found)


def test_a_name_that_speaks_after_a_quotation_is_not_a_place_anywhere_in_the_article():
    # the tagger takes "Météo-France" for a place at both mentions; after a quotation and its
    # speech verb it is the speaker, and the whole entity stops being a place
    text = ("\"La chaleur va s'étendre et s'accentuer dimanche et lundi\", précise Météo-France dans son "
            "bulletin.\n\nLes températures minimales seront supérieures à 20°C, précise Météo-France.")
    entities = {e.text: e.label for e in analyse_text(text, "fr").entities}
    assert entities.get("Météo-France") == "ORG"
    assert quotes(text, "fr") == [("La chaleur va s'étendre et s'accentuer dimanche et lundi", "Météo-France")]


def test_common_official_titles_are_cut_from_the_name():
    text = ("Treasurer Jim Chalmers says he is \"aware of the history\" of the surplus.\n\n"
            "\"I'm taking a much more cautious approach,\" Dr Chalmers said.")
    assert [speaker for _, speaker in quotes(text, "en")] == ["Jim Chalmers", "Jim Chalmers"]
    assert "Treasurer Jim Chalmers" not in people(text, "en")
