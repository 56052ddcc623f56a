from caseload.matching.concepts import RAW_PREFIX, ConceptTable, default_table, normalise


def test_synonyms_in_dutch_and_english_share_a_concept():
    table = default_table()
    assert table.concepts_for("forklift") == table.concepts_for("Heftruck") == {"forklift"}
    assert table.concepts_for("Schoonmaak") & table.concepts_for("cleaning")


def test_unknown_label_is_its_own_concept_so_exact_text_still_matches():
    table = default_table()
    assert table.concepts_for("Underwater welding") == {RAW_PREFIX + "underwater welding"}
    assert table.concepts_for("underwater  WELDING") == table.concepts_for("Underwater welding")


def test_workshop_titles_map_to_the_concepts_they_teach():
    table = default_table()
    assert "forklift" in table.concepts_in("Heftruckcertificaat")
    assert "construction" in table.concepts_in("Veiligheid op de bouw (VCA)")
    assert "language" in table.concepts_in("Taalcafé")
    assert table.concepts_in("Solliciteren") == set()


def test_occupations_relate_to_concepts():
    table = default_table()
    assert "forklift" in table.occupation_concepts("warehouse worker")
    assert table.occupation_concepts("astronaut") == set()


def test_table_has_a_version_and_can_be_swapped(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(
        '{"version": "esco-test", "concepts": [{"id": "x", "labels": {"en": "X-ray"}, "synonyms": ["rontgen"]}]}'
    )
    table = ConceptTable.load(path)
    assert table.version == "esco-test"
    assert table.concepts_for("Röntgen") == {"x"}
    assert default_table().version == "concepts-v1"


def test_normalise():
    assert normalise("  Taalcafé – Noord ") == "taalcafe noord"
