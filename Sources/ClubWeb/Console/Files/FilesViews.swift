import ClubCore
import Foundation

/// The files of one object on its console page (docs/design.md §11.5): each file with a thumbnail when it is an
/// image, a link to open or download it, its size and uploader, a remove button for who may, and the upload form.
struct FilesSectionView {
    /// Unique on the page, since an audit's page shows its own section and one per finding.
    let id: String
    let title: String
    let rows: [FileRowView]
    let hasRows: Bool
    let upload: FileUploadView?
    /// Why nothing more can be attached (the object holds as many files as it may), when it is open but full.
    let fullNote: String?
    /// The level of its heading: 2 on the object's own page, lower inside another object's part of a page (a finding
    /// on its audit's page, a check-in on its engagement's).
    private(set) var level = 2

    func nested(at level: Int) -> FilesSectionView {
        var section = self
        section.level = level
        return section
    }
}

/// One file in a section.
struct FileRowView {
    let name: String
    let href: String
    /// Stored, not computed: Mustache reads stored properties only.
    let thumbnail: FileThumbnailView?
    let kind: String
    let size: String
    let uploaded: String
    let caption: String?
    let removeForm: FormView?
}

/// An image's thumbnail as the page lays it out before it loads: its box is reserved by `width` and `height`.
struct FileThumbnailView {
    let src: String
    let alt: String
    let width: Int
    let height: Int

    /// The size `Thumbnailer` makes: the image scaled down, never up, to fit a square of its side.
    init(file: EvidenceFile, side: Int = 320) {
        src = "/files/\(file.id)/thumbnail"
        alt = file.caption ?? file.name
        let width = max(file.width ?? side, 1)
        let height = max(file.height ?? side, 1)
        let scale = min(1, Double(side) / Double(max(width, height)))
        self.width = max(1, Int((Double(width) * scale).rounded()))
        self.height = max(1, Int((Double(height) * scale).rounded()))
    }
}

/// The upload form of a section: multipart, the CSRF token first (the server refuses a file part before it), the
/// caption, then the file. Its ids are scoped by the object, so that each label points at its own input.
struct FileUploadView {
    let action: String
    let csrf: String
    let fileId: String
    let captionId: String
    let caption: String
    let error: String?
    let captionError: String?
    let maxBytes: String
}
